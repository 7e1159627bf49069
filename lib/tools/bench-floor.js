// The floor of `npm run bench`: the unavoidable part of a synth. Loads the synthesized objects from one
// JSON file and writes them as YAML with the `yaml` package alone, in dist/'s layout and bytes.
// Usage: node lib/tools/bench-floor.js <objects.json> <out dir>
// The JSON is `[{ path, objects }]` for manifests and `[{ path, text }]` for other files (overviews).
// Plain JavaScript, so that nothing but loading `yaml` and serialising is measured.
'use strict';
const { mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const YAML = require('yaml');

// cdk8s's Yaml.stringify options (YAML 1.1, no line folding); aliasDuplicateObjects: false gives
// the same bytes for JSON data, which never shares objects, and skips yaml's duplicate search.
const options = { keepUndefined: true, lineWidth: 0, version: '1.1', aliasDuplicateObjects: false };

const [input, out] = process.argv.slice(2);
if (!input || !out) {
  console.error('usage: node lib/tools/bench-floor.js <objects.json> <out dir>');
  process.exit(2);
}
const files = JSON.parse(readFileSync(input, 'utf8'));
rmSync(out, { recursive: true, force: true });
const dirs = new Set();
for (const file of files) {
  const target = join(out, file.path);
  const dir = dirname(target);
  if (!dirs.has(dir)) {
    mkdirSync(dir, { recursive: true });
    dirs.add(dir);
  }
  const content = file.objects ? file.objects.map((o) => YAML.stringify(o, options)).join('---\n') : file.text;
  writeFileSync(target, content);
}
