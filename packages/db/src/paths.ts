import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** A service's PGlite folder: `<root>/<name>` when a DATA_DIR is given, else the repository's `.data/<name>`. */
export function dataDirFor(name: string, root?: string): string {
  return root ? join(root, name) : repoDataDir(name);
}

/**
 * `.data/<name>` at the repository root (the folder holding turbo.json), so every service keeps its
 * PGlite data in one place whatever its working directory.
 */
export function repoDataDir(name: string, from = process.cwd()): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'turbo.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return resolve(from, '.data', name);
    dir = parent;
  }
  return join(dir, '.data', name);
}
