import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** Newest modification time of the files under `dir` (skipping node_modules and build output). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (["node_modules", "build", ".react-router"].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    const m = entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs;
    if (m > newest) newest = m;
  }
  return newest;
}

/** True when web/build is missing or older than any source in web/ or shared/src. */
export function webBuildIsStale(repoRoot: string): boolean {
  const marker = path.join(repoRoot, "web", "build", "server", "index.js");
  if (!existsSync(marker)) return true;
  const built = statSync(marker).mtimeMs;
  return (
    newestMtime(path.join(repoRoot, "web")) > built ||
    newestMtime(path.join(repoRoot, "shared", "src")) > built
  );
}
