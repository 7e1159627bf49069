// Runs a TypeScript entry without compiling TypeScript at run time: the entry is bundled once with
// esbuild (our sources and the packages they use, into one file) into node_modules/.cache/stackwright/,
// and rebuilt whenever any file that went into the bundle changed (size or mtime), or esbuild changed.
// The bundle runs from V8's code cache of its last run, so neither parsing nor compiling is repeated:
// a synth spends its time synthesizing, not loading (see README, "Performance").
// Usage: node lib/synth/launch.js <entry.ts> [args...]; the entry exports `main(root, argv)`.
'use strict';
const { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join, relative, resolve } = require('node:path');
const vm = require('node:vm');

const root = resolve(__dirname, '..', '..');

function stamp(file) {
  const s = statSync(file, { throwIfNoEntry: false });
  return s ? `${s.size}:${s.mtimeMs}` : 'missing';
}

/** Writes beside, then renames: a concurrent launch reads the old file or the new one, never half of one. */
function writeAtomically(file, data) {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, file);
}

// Bundled, a package's `__dirname` would be the cache folder; it keeps its own (cdk8s's Yaml.load runs a script beside it).
const ownDirname = {
  name: 'own-dirname',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/].*\.[cm]?js$/ }, (args) => {
      const contents = readFileSync(args.path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(contents)) return undefined;
      const header = `var __dirname = ${JSON.stringify(dirname(args.path))}, __filename = ${JSON.stringify(args.path)};\n`;
      return { contents: header + contents, loader: 'js' };
    });
  },
};

/** The bundle of `entry`, rebuilt when stale; its code cache is dropped with it. */
async function bundle(entry) {
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
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    outfile: out,
    metafile: true,
    logLevel: 'error',
    absWorkingDir: root,
    plugins: [ownDirname],
  });
  const inputs = {};
  for (const f of Object.keys(result.metafile.inputs).sort()) inputs[f] = stamp(join(root, f));
  inputs['package-lock.json'] = stamp(join(root, 'package-lock.json'));
  rmSync(cacheFileOf(out), { force: true });
  writeAtomically(out, result.outputFiles[0].contents);
  writeAtomically(metaFile, JSON.stringify({ esbuild: esbuild.version, inputs }, null, 1));
  return out;
}

function cacheFileOf(out) {
  return `${out}.v8-cache`;
}

/**
 * Loads the bundle as CommonJS through a vm.Script that uses the code cache V8 made of it last time;
 * returns the module and a function that saves a new cache (after the run, so that it holds every
 * function the run compiled) when there was none or V8 rejected it (another Node.js or V8 flags).
 */
function load(out) {
  const cacheFile = cacheFileOf(out);
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const script = new vm.Script(Module.wrap(readFileSync(out, 'utf8')), { filename: out, cachedData });
  const mod = new Module(out, module);
  mod.filename = out;
  mod.paths = Module._nodeModulePaths(dirname(out));
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(out), mod, out, dirname(out));
  const saveCache = () => {
    if (cachedData !== undefined && !script.cachedDataRejected) return;
    try {
      writeAtomically(cacheFile, script.createCachedData());
    } catch {
      // A cache that cannot be written only costs the next run its compile time.
    }
  };
  return { exports: mod.exports, saveCache };
}

async function launch() {
  const [entryArg, ...argv] = process.argv.slice(2);
  if (!entryArg) {
    console.error('usage: node lib/synth/launch.js <entry.ts> [args...]');
    return 2;
  }
  const { exports: mod, saveCache } = load(await bundle(resolve(root, entryArg)));
  if (typeof mod.main !== 'function') {
    console.error(`${entryArg} must export main(root, argv)`);
    return 2;
  }
  const code = await mod.main(root, argv);
  saveCache();
  return code ?? 0;
}

launch().then(
  (code) => { process.exitCode = code; },
  (error) => { console.error(error); process.exitCode = 1; },
);
