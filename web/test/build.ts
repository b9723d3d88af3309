import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Builds the web app (react-router build) unless build/ is newer than every source it depends on.
 * A lock directory keeps parallel test files from building at the same time.
 */
export async function ensureWebBuild(): Promise<string> {
  const entry = path.join(webDir, "build", "server", "index.js");
  const sources = () =>
    Math.max(
      newestMtime(path.join(webDir, "app")),
      newestMtime(path.join(webDir, "..", "shared", "src")),
      statSync(path.join(webDir, "vite.config.ts")).mtimeMs,
    );
  const fresh = () => existsSync(entry) && statSync(entry).mtimeMs > sources();
  if (fresh()) return path.join(webDir, "build");
  const lock = path.join(webDir, ".build-lock");
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (i > 600) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (!fresh())
      execFileSync(
        process.execPath,
        [path.join(webDir, "..", "node_modules", "@react-router", "dev", "bin.js"), "build"],
        {
          cwd: webDir,
          stdio: "pipe",
        },
      );
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return path.join(webDir, "build");
}
