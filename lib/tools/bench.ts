// `npm run bench [-- --runs <n>] [-- --keep]`: whole-process timings of the synth against the stock
// cdk8s pipeline and a serialisation floor, then a scale series; prints a table and, as the last
// line, one JSON object. Works in a temporary copy of the project: dist/ is never written.
//   (a) `npm run synth`'s entry: node lib/synth/launch.js main.ts
//   (b) the stock pipeline: `cdk8s synth` with a cdk8s.yaml whose app is `npx ts-node main.ts`
//   (c) the floor: the same objects loaded from one JSON file, written as YAML by `yaml` alone
// and (a) with the reference platform plus N generated services (lib/tools/scale-platform.ts).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { environmentSources } from '../../environments';
import { synthesize, type EnvironmentSources } from '../synth';
import { readTree } from '../synth/write';
import { withGeneratedServices } from './scale-platform';

const root = resolve(__dirname, '..', '..');
const SCALE = [0, 100, 1000] as const;
const GNU_TIME = '/usr/bin/time';

/** One measured process run: wall time and CPU time (user + system) in seconds, peak resident set in MiB (null without GNU time). */
interface Sample {
  readonly wall: number;
  readonly cpu: number | null;
  readonly rss: number | null;
}

interface Case {
  readonly id: string;
  readonly label: string;
  readonly command: readonly string[];
  readonly cwd: string;
  readonly samples: Sample[];
}

interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function parseArgs(argv: readonly string[]): { runs: number; keep: boolean } {
  let runs = 5;
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') runs = Number(argv[++i]);
    else if (argv[i] === '--keep') keep = true;
    else throw new Error(`unknown argument "${argv[i]}"; expected --runs <n> (at least 5) or --keep`);
  }
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive whole number');
  return { runs, keep };
}

/**
 * A copy of the project's sources and dist/ (so every run starts from the committed output, as a
 * synth in the project does) with node_modules linked package by package: the launcher's bundle
 * cache (node_modules/.cache) is the copy's own, and nothing is written into the project.
 */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stackwright-bench-'));
  for (const entry of ['main.ts', 'plan.ts', 'environments', 'lib', 'imports', 'dist', 'package.json', 'package-lock.json', 'tsconfig.json']) {
    cpSync(join(root, entry), join(dir, entry), { recursive: true, preserveTimestamps: true });
  }
  mkdirSync(join(dir, 'node_modules'));
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry !== '.cache') symlinkSync(join(root, 'node_modules', entry), join(dir, 'node_modules', entry));
  }
  // The stock project layout: `cdk8s synth` runs the app through ts-node, which compiles (and type-checks) at run time.
  writeFileSync(join(dir, 'cdk8s.yaml'), 'language: typescript\napp: npx ts-node main.ts\n');
  return dir;
}

/** `npm run synth`'s command from package.json (`node …` with this Node.js), so that (a) is what the script runs. */
function synthCommand(node: string): string[] {
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.synth;
  const words = script.trim().split(/\s+/);
  if (words[0] !== 'node' || !words.includes('main.ts')) throw new Error(`the synth script is "${script}"; the bench expects \`node … main.ts\``);
  return [node, ...words.slice(1)];
}

/** The floor's input: every output file of a synth of `sources`, manifests as objects, other files as text. */
function writeFloorInput(sources: EnvironmentSources, file: string): void {
  const output = synthesize(sources);
  const manifests = new Map(output.environments.flatMap((env) => env.files.map((f) => [f.path, f.objects] as const)));
  const entries = [...output.files.keys()].map((path) => {
    const objects = manifests.get(path);
    return objects ? { path, objects } : { path, text: output.files.get(path) };
  });
  writeFileSync(file, JSON.stringify(entries));
}

/** Runs one whole process and measures it; GNU time reports the peak RSS of the process tree's largest member. */
function measure(c: Case): Sample {
  const rssFile = join(tmpdir(), `stackwright-bench-rss-${process.pid}`);
  const useTime = existsSync(GNU_TIME);
  const argv = useTime ? [GNU_TIME, '-f', '%U %S %M', '-o', rssFile, ...c.command] : [...c.command];
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), { cwd: c.cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${c.label} failed (exit ${result.status}): ${c.command.join(' ')}\n${result.stdout}\n${result.stderr}`);
  }
  if (!useTime) return { wall, cpu: null, rss: null };
  const [user, system, kib] = readFileSync(rssFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  rmSync(rssFile, { force: true });
  return { wall, cpu: user + system, rss: kib / 1024 };
}

function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Interleaves the cases (A B C A B C …): one unrecorded warm-up round, then `runs` recorded rounds. */
function round(cases: readonly Case[], runs: number): void {
  for (const c of cases) {
    log(`warm-up: ${c.label}`);
    measure(c);
  }
  for (let r = 1; r <= runs; r++) {
    for (const c of cases) {
      const sample = measure(c);
      c.samples.push(sample);
      log(`run ${r}/${runs}: ${c.label}: ${sample.wall.toFixed(2)} s${sample.rss === null ? '' : ` (cpu ${sample.cpu!.toFixed(2)} s), ${sample.rss.toFixed(0)} MiB`}`);
    }
  }
}

/** Whether two output trees hold the same paths with the same bytes; the first difference otherwise. */
function sameTree(expected: string, actual: string): string | undefined {
  const a = readTree(expected);
  const b = readTree(actual);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const differing = paths.find((p) => a.get(p) !== b.get(p));
  return differing === undefined ? undefined : `${differing} differs between ${expected} and ${actual}`;
}

function expectSame(expected: string, actual: string, what: string): void {
  const difference = sameTree(expected, actual);
  if (difference) throw new Error(`${what}: not byte-identical: ${difference}`);
  log(`byte-identical: ${what}`);
}

const round2 = (n: number) => Math.round(n * 1000) / 1000;

function main(): void {
  const { runs, keep } = parseArgs(process.argv.slice(2));
  const loadBefore = loadavg()[0];
  if (runs < 5) log(`note: --runs ${runs} is below the 5 runs the figures in README.md use`);
  const dir = workspace();
  log(`workspace: ${dir}`);
  try {
    const node = process.execPath;
    const floorScript = join(dir, 'lib', 'tools', 'bench-floor.js');
    const floorInput = (n: number) => join(dir, `floor-${n}.json`);
    log('preparing the floor inputs (in-process synth of each scale)');
    writeFloorInput(environmentSources, floorInput(0));
    writeFloorInput(withGeneratedServices(environmentSources, 1000), floorInput(1000));

    const a: Case = { id: 'a', label: '(a) npm run synth', command: synthCommand(node), cwd: dir, samples: [] };
    const b: Case = {
      id: 'b', label: '(b) stock cdk8s synth (ts-node)',
      command: [node, join(dir, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), 'synth', '--no-check-upgrade', '--output', join(dir, 'cdk8s.out')],
      cwd: dir, samples: [],
    };
    const c0: Case = { id: 'c', label: '(c) floor: JSON → yaml', command: [node, floorScript, floorInput(0), join(dir, 'floor-0')], cwd: dir, samples: [] };
    round([a, b, c0], runs);
    expectSame(join(root, 'dist'), join(dir, 'dist'), '(a) output = committed dist/');
    expectSame(join(root, 'dist'), join(dir, 'cdk8s.out'), '(b) output = committed dist/');
    expectSame(join(root, 'dist'), join(dir, 'floor-0'), '(c) output = committed dist/');

    // `npm run synth`'s command with the scale entry in place of main.ts.
    const scaleCommand = synthCommand(node).map((arg) => (arg === 'main.ts' ? 'lib/tools/scale-platform.ts' : arg));
    const scale = SCALE.map((n): Case => ({
      id: `n${n}`, label: `(a) N=${n}`,
      command: [...scaleCommand, '--services', String(n), '--out', join(dir, `scale-${n}`)],
      cwd: dir, samples: [],
    }));
    const c1000: Case = { id: 'c1000', label: '(c) floor N=1000', command: [node, floorScript, floorInput(1000), join(dir, 'floor-1000')], cwd: dir, samples: [] };
    round([...scale, c1000], runs);
    expectSame(join(root, 'dist'), join(dir, 'scale-0'), '(a) N=0 output = committed dist/');
    expectSame(join(dir, 'scale-1000'), join(dir, 'floor-1000'), '(c) N=1000 output = (a) N=1000 output');

    report([a, b, c0, ...scale, c1000], runs, [loadBefore, loadavg()[0]]);
  } finally {
    if (keep) log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** `load`: the 1-minute load average before and after the runs (other work on the machine skews wall times). */
function report(cases: readonly Case[], runs: number, load: readonly [number, number]): void {
  const wall = new Map(cases.map((c) => [c.id, stats(c.samples.map((s) => s.wall))]));
  const rss = new Map(cases.map((c) => [c.id, c.samples.every((s) => s.rss !== null) ? stats(c.samples.map((s) => s.rss as number)) : null]));
  const cpu = new Map(cases.map((c) => [c.id, c.samples.every((s) => s.cpu !== null) ? stats(c.samples.map((s) => s.cpu as number)) : null]));
  const w = (id: string) => wall.get(id)!.median;
  const perService = (n: number) => (w(`n${n}`) - w('n0')) / n;
  const figures = {
    aOverB: w('a') / w('b'),
    aOverC0: w('a') / w('c'),
    aOverC1000: w('n1000') / w('c1000'),
    perService100: perService(100),
    perService1000: perService(1000),
    growth: perService(1000) / perService(100),
    rss1000: rss.get('n1000')?.median ?? null,
  };
  const goals = {
    'a ≤ b/8': figures.aOverB <= 1 / 8,
    'a ≤ 2×c at N=0': figures.aOverC0 <= 2,
    'a ≤ 2×c at N=1000': figures.aOverC1000 <= 2,
    'per-service growth ≤ 1.2×': figures.growth <= 1.2,
    'peak RSS ≤ 300 MB at N=1000': figures.rss1000 !== null && figures.rss1000 * 1.048576 <= 300,
  };

  const rows = cases.map((c) => {
    const t = wall.get(c.id)!;
    const u = cpu.get(c.id);
    const m = rss.get(c.id);
    return [
      c.label, t.median.toFixed(2), `${t.min.toFixed(2)}–${t.max.toFixed(2)}`, u ? u.median.toFixed(2) : 'n/a',
      m ? m.median.toFixed(0) : 'n/a', m ? `${m.min.toFixed(0)}–${m.max.toFixed(0)}` : 'n/a',
    ];
  });
  const header = ['case', 'wall s (median)', 'min–max', 'cpu s (median)', 'peak RSS MiB (median)', 'min–max'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  const out: string[] = [];
  out.push(`${runs} interleaved runs each after a warm-up, on ${process.platform} ${process.arch} (${cpus().length} cores, load ${load[0].toFixed(1)} → ${load[1].toFixed(1)}), Node ${process.versions.node}`);
  out.push(line(header), `|${widths.map((n, i) => (i === 0 ? `:${'-'.repeat(n + 1)}` : `${'-'.repeat(n + 1)}:`)).join('|')}|`, ...rows.map(line));
  out.push('');
  out.push(`a/b = ${figures.aOverB.toFixed(3)}   a/c at N=0 = ${figures.aOverC0.toFixed(2)}   a/c at N=1000 = ${figures.aOverC1000.toFixed(2)}`);
  out.push(`per-service cost: ${(figures.perService100 * 1000).toFixed(2)} ms at N=100, ${(figures.perService1000 * 1000).toFixed(2)} ms at N=1000 (growth ${figures.growth.toFixed(2)}×)`);
  out.push(`goals: ${Object.entries(goals).map(([goal, met]) => `${met ? 'met' : 'MISSED'}: ${goal}`).join('; ')}`);
  for (const l of out) console.log(l);

  const json = {
    runs,
    node: process.versions.node,
    loadAverage: load.map((l) => Math.round(l * 10) / 10),
    wallSeconds: Object.fromEntries([...wall].map(([id, s]) => [id, { median: round2(s.median), min: round2(s.min), max: round2(s.max) }])),
    cpuSeconds: Object.fromEntries([...cpu].map(([id, s]) => [id, s && round2(s.median)])),
    peakRssMiB: Object.fromEntries([...rss].map(([id, s]) => [id, s && { median: Math.round(s.median), min: Math.round(s.min), max: Math.round(s.max) }])),
    ratios: { aOverB: round2(figures.aOverB), aOverC0: round2(figures.aOverC0), aOverC1000: round2(figures.aOverC1000) },
    perServiceMs: { n100: round2(figures.perService100 * 1000), n1000: round2(figures.perService1000 * 1000), growth: round2(figures.growth) },
    goals,
  };
  console.log(JSON.stringify(json));
}

main();
