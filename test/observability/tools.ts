// Test helper: the real Prometheus tools from Debian's packages. Missing locally, their tests are
// skipped with an install hint; in CI (CI=true) a missing tool fails instead of skipping.
import { spawnSync } from 'node:child_process';

const INSTALL = 'apt-get update && apt-get install -y --no-install-recommends prometheus prometheus-alertmanager';

function has(tool: string): boolean {
  return spawnSync(tool, ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Whether `tool` can run here; prints how to install it when it cannot, and throws in CI. */
export function toolAvailable(tool: 'promtool' | 'amtool'): boolean {
  if (has(tool)) return true;
  const message = `${tool} is not installed: its tests are skipped. Install it with: ${INSTALL}`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI must not skip them; .ci/run installs it)`);
  console.warn(message);
  return false;
}

/** Runs a tool and returns its exit code, its stdout, and stdout and stderr combined. */
export function run(tool: string, args: readonly string[], cwd: string): { status: number; stdout: string; output: string } {
  const result = spawnSync(tool, args, { cwd, encoding: 'utf8' });
  return { status: result.status ?? -1, stdout: result.stdout, output: `${result.stdout}${result.stderr}` };
}
