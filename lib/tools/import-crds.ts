// Regenerates imports/ from the CRDs that cdk8s.yaml names by upstream URL, offline: each
// `name:=URL` is resolved to the byte-identical pinned copy ../shared/crds/<project>/<group>_<name>.yaml
// (listed with the same URL in ../shared/crds/SOURCES.md) and fed to `cdk8s import` one at a time,
// because imports of one API group would otherwise overwrite each other.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const root = resolve(__dirname, '..', '..');
const crdRoot = resolve(root, process.env.STACKWRIGHT_CRDS ?? join('..', 'shared', 'crds'));
const config = parse(readFileSync(join(root, 'cdk8s.yaml'), 'utf8')) as { imports: string[] };
const sources = readFileSync(join(crdRoot, 'SOURCES.md'), 'utf8');

function localCopy(name: string, url: string): string {
  for (const project of readdirSync(crdRoot, { withFileTypes: true })) {
    if (!project.isDirectory()) continue;
    const file = readdirSync(join(crdRoot, project.name)).find((f) => f.endsWith(`_${name}.yaml`));
    if (!file) continue;
    const rel = `${project.name}/${file}`;
    if (!sources.includes(`| \`${rel}\` | ${url} |`)) {
      throw new Error(`cdk8s.yaml import ${name}: ${url} is not the URL SOURCES.md lists for ${rel}`);
    }
    return join(crdRoot, rel);
  }
  throw new Error(`cdk8s.yaml import ${name}: no file *_${name}.yaml under ${crdRoot}`);
}

const cli = join(root, 'node_modules', '.bin', 'cdk8s');
if (!existsSync(cli)) throw new Error('cdk8s-cli is not installed: run npm ci');
// `cdk8s import` appends what it imported (here a local path) to cdk8s.yaml: keep the upstream URLs only.
const configText = readFileSync(join(root, 'cdk8s.yaml'), 'utf8');
try {
  for (const entry of config.imports) {
    const [name, url] = entry.split(':=');
    const file = localCopy(name, url);
    process.stdout.write(`import ${name} <- ${file}\n`);
    execFileSync(cli, ['--no-check-upgrade', 'import', `${name}:=${file}`, '--language', 'typescript', '--output', 'imports'], {
      cwd: root,
      stdio: 'inherit',
    });
  }
} finally {
  writeFileSync(join(root, 'cdk8s.yaml'), configText);
}
