import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo root: the nearest ancestor whose package.json declares workspaces. */
export function findRepoRoot(start = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (existsSync(pkg)) {
      const json = JSON.parse(readFileSync(pkg, "utf8")) as { workspaces?: unknown };
      if (json.workspaces) return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(`No monorepo root (package.json with workspaces) above ${start}`);
    dir = parent;
  }
}

export const repoRoot = findRepoRoot();

/** Where everything the app writes lives: `DATA_DIR`, default `<repo>/.data`. */
export function dataDir(): string {
  return path.resolve(process.env.DATA_DIR ?? path.join(repoRoot, ".data"));
}

export const migrationsDir = path.join(repoRoot, "migrations");
