// Runs a TypeScript entry without compiling TypeScript at run time: the entry is bundled once with
// esbuild (our sources only; packages stay external) into node_modules/.cache/stackwright/, and
// rebuilt whenever any file that went into the bundle changed (size or mtime), or esbuild changed.
// Usage: node lib/synth/launch.js <entry.ts> [args...]; the entry exports `main(root, argv)`.
'use strict';
const { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { join, relative, resolve } = require('node:path');

const root = resolve(__dirname, '..', '..');

function stamp(file) {
  const s = statSync(file, { throwIfNoEntry: false });
  return s ? `${s.size}:${s.mtimeMs}` : 'missing';
}

function bundle(entry) {
  const esbuild = require('esbuild');
  const name = relative(root, entry).replace(/[^A-Za-z0-9]+/g, '-').replace(/-ts$/, '');
  const dir = join(root, 'node_modules', '.cache', 'stackwright');
  const out = join(dir, `${name}.cjs`);
  const metaFile = join(dir, `${name}.inputs.json`);
  if (existsSync(out) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    const fresh = meta.esbuild === esbuild.version && Object.entries(meta.inputs).every(([f, s]) => stamp(join(root, f)) === s);
    if (fresh) return out;
  }
  mkdirSync(dir, { recursive: true });
  const result = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile: out,
    metafile: true,
    logLevel: 'error',
    absWorkingDir: root,
  });
  const inputs = {};
  for (const f of Object.keys(result.metafile.inputs).sort()) inputs[f] = stamp(join(root, f));
  inputs['package-lock.json'] = stamp(join(root, 'package-lock.json'));
  writeFileSync(metaFile, JSON.stringify({ esbuild: esbuild.version, inputs }, null, 1));
  return out;
}

const [entryArg, ...argv] = process.argv.slice(2);
if (!entryArg) {
  console.error('usage: node lib/synth/launch.js <entry.ts> [args...]');
  process.exit(2);
}
const entry = resolve(root, entryArg);
const mod = require(bundle(entry));
if (typeof mod.main !== 'function') {
  console.error(`${entryArg} must export main(root, argv)`);
  process.exit(2);
}
Promise.resolve(mod.main(root, argv)).then(
  (code) => { process.exitCode = code ?? 0; },
  (error) => { console.error(error); process.exitCode = 1; },
);
