// `npm run check`: the manifest checks over the committed dist/ alone (no synth), with the spec's waivers.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { environmentSources } from '../../environments';
import { checkOutput, formatFindings, formatWaived, type CheckedEnvironment, type Manifest } from '../checks';
import { resolveEnvironments, SpecError, type ResolvedPlatform } from '../spec';

/** Every folder of dist/ (an environment, or other output such as gitops/), its YAML files parsed. */
export function readDist(distDir: string, platforms: readonly ResolvedPlatform[]): CheckedEnvironment[] {
  const folders = readdirSync(distDir).filter((name) => !name.startsWith('.') && statSync(join(distDir, name)).isDirectory()).sort();
  return folders.map((environment) => {
    const files = readdirSync(join(distDir, environment)).filter((f) => /\.ya?ml$/.test(f)).sort().map((file) => {
      const path = `${environment}/${file}`;
      const docs = parseAllDocuments(readFileSync(join(distDir, path), 'utf8'));
      const objects: Manifest[] = [];
      for (const doc of Array.isArray(docs) ? docs : [docs]) {
        if (doc.errors.length > 0) throw new Error(`${path}: not valid YAML: ${doc.errors[0].message}`);
        const value = doc.toJSON() as Manifest | null;
        if (value !== null) objects.push(value);
      }
      return { path, objects };
    });
    return { environment, files, platform: platforms.find((p) => p.environment === environment) };
  });
}

/** Checks `<root>/dist`; exit code 0 when nothing is found, 1 on findings, stale waivers, a bad spec or bad YAML. */
export function main(root: string = join(__dirname, '..', '..'), argv: readonly string[] = process.argv.slice(2)): number {
  if (argv.length > 0) {
    console.error(`check: unknown argument "${argv[0]}"; npm run check takes none`);
    return 1;
  }
  const distDir = join(root, 'dist');
  if (!existsSync(distDir)) {
    console.error('check: no dist/ folder: run npm run synth first');
    return 1;
  }
  try {
    const platforms = resolveEnvironments(environmentSources.base, environmentSources.environments);
    const environments = readDist(distDir, platforms);
    const report = checkOutput(environments);
    if (report.staleWaivers.length > 0) console.log(new SpecError(report.staleWaivers).message);
    if (report.findings.length > 0) console.log(formatFindings(report.findings));
    const objects = environments.reduce((n, e) => n + e.files.reduce((m, f) => m + f.objects.length, 0), 0);
    console.log(`checked ${objects} objects in ${environments.map((e) => e.environment).join(', ')}: ${report.findings.length} finding(s), ${report.waived.length} waived`);
    for (const line of formatWaived(report.waived)) console.log(line);
    return report.findings.length > 0 || report.staleWaivers.length > 0 ? 1 : 0;
  } catch (error) {
    console.error(`check: ${(error as Error).message}`);
    return 1;
  }
}

// Run directly (tsx); the bundled launcher calls main() itself.
if (require.main === module) process.exitCode = main();
