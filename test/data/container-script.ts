// Runs a container's shell script from the synthesized objects with `sh`, stub programs on PATH
// and a scratch directory, so tests check what the script does rather than what it says.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A container as synthesized JSON (the fields the harness reads). */
export interface ContainerJson {
  readonly name: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly { name: string; value?: string; valueFrom?: unknown }[];
}

export interface ScriptResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A scratch directory with a `bin/` for stubs; `cleanup()` removes it. */
export class Scratch {
  public readonly dir = mkdtempSync(join(tmpdir(), 'stackwright-script-'));
  public readonly bin = join(this.dir, 'bin');

  constructor() {
    mkdirSync(this.bin);
  }

  /** Writes an executable stub program (a POSIX sh script body) onto the scratch PATH. */
  public stub(name: string, body: string): void {
    const path = join(this.bin, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
  }

  /** A directory under the scratch directory, created. */
  public path(...parts: string[]): string {
    const path = join(this.dir, ...parts);
    mkdirSync(path, { recursive: true });
    return path;
  }

  public cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The script of a `sh -c` container: the third word of its command. */
export function scriptOf(container: ContainerJson): string {
  const command = container.command ?? [];
  if (command.length !== 3 || !/^(\/bin\/)?sh$/.test(command[0]) || command[1] !== '-c') {
    throw new Error(`container ${container.name} does not run a sh -c script: ${JSON.stringify(command)}`);
  }
  return command[2];
}

/**
 * Runs the container's script as the container would: its literal env values, then `overrides`
 * (paths into the scratch directory, stand-ins for Secret and ConfigMap references, which the
 * harness never resolves), with the scratch `bin/` first on PATH.
 */
export function runContainer(scratch: Scratch, container: ContainerJson, overrides: Record<string, string | undefined> = {}): ScriptResult {
  const env: Record<string, string> = { PATH: `${scratch.bin}:/usr/bin:/bin`, HOME: scratch.dir, LC_ALL: 'C' };
  for (const e of container.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const run = spawnSync('sh', ['-c', scriptOf(container)], { env, encoding: 'utf8', cwd: scratch.dir });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
