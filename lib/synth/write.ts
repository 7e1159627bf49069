import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** What a write changed, per path relative to dist/. */
export interface WriteResult {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: readonly string[];
}

/** Every file under a directory, relative paths, sorted; hidden entries are skipped. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Reads a whole output tree into memory (path relative to the root → content). A file whose
 * content equals `reuse`'s for its path is held as `reuse`'s string, so an unchanged tree costs no
 * second copy in memory.
 */
export function readTree(dir: string, reuse?: ReadonlyMap<string, string>): Map<string, string> {
  return new Map(listFiles(dir).map((path) => {
    const content = readFileSync(join(dir, path), 'utf8');
    const same = reuse?.get(path);
    return [path, same === content ? same : content];
  }));
}

/**
 * Replaces `distDir` with exactly `files`, atomically from the reader's point of view: the new tree
 * is written beside it, then swapped in with two renames, and the old tree is restored if the
 * second rename fails. A failure before the swap leaves `distDir` untouched. When `distDir` already
 * holds exactly `files`, nothing is written. `previous` is what `distDir` holds, when the caller
 * has read it already.
 */
export function writeTreeAtomically(distDir: string, files: ReadonlyMap<string, string>, previous: ReadonlyMap<string, string> = readTree(distDir)): WriteResult {
  const result = compareTrees(previous, files);
  if (result.added.length + result.changed.length + result.removed.length === 0) return result;
  const parent = dirname(distDir);
  const staging = join(parent, `.dist-staging-${process.pid}`);
  const old = join(parent, `.dist-old-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    mkdirSync(staging, { recursive: true });
    for (const [path, content] of files) {
      const target = join(staging, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    const hadDist = existsSync(distDir) && statSync(distDir).isDirectory();
    if (hadDist) renameSync(distDir, old);
    try {
      renameSync(staging, distDir);
    } catch (error) {
      if (hadDist) renameSync(old, distDir);
      throw error;
    }
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return result;
}

function compareTrees(previous: ReadonlyMap<string, string>, files: ReadonlyMap<string, string>): WriteResult {
  const paths = [...files.keys()].sort();
  return {
    added: paths.filter((p) => !previous.has(p)),
    changed: paths.filter((p) => previous.has(p) && previous.get(p) !== files.get(p)),
    unchanged: paths.filter((p) => previous.get(p) === files.get(p)),
    removed: [...previous.keys()].filter((p) => !files.has(p)),
  };
}
