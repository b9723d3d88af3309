/**
 * `npm run bench -- NAME`: runs bench/NAME.ts, whose `main()` returns the figures, ratios and
 * `ok` against the goal; prints them as ONE JSON object on the last line.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { WORKER_NODE_FLAGS } from "../workers/src/node-flags.ts";

/** Benchmarks that measure work the worker process does run under the worker's Node flags. */
const NODE_FLAGS: Record<string, readonly string[]> = { render: WORKER_NODE_FLAGS };

const here = path.dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter(
    (f) =>
      f.endsWith(".ts") &&
      !f.endsWith(".d.ts") &&
      f !== "run.ts" &&
      !f.includes(".test.") &&
      !f.startsWith("lib") &&
      !f.includes("-"),
  )
  .map((f) => f.replace(/\.ts$/, ""));

const name = process.argv[2];
if (!name || !existsSync(path.join(here, `${name}.ts`))) {
  console.error(`usage: npm run bench -- NAME   (NAME: ${available.join(", ") || "none yet"})`);
  process.exit(2);
}
const flags = NODE_FLAGS[name] ?? [];
if (flags.some((f) => !process.execArgv.includes(f))) {
  // Node flags are read when the process starts: run this same command again under them.
  const again = spawnSync(
    process.execPath,
    [...flags, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: "inherit" },
  );
  process.exit(again.status ?? 1);
}
const mod = (await import(path.join(here, `${name}.ts`))) as {
  main: (args: string[]) => Promise<Record<string, unknown>>;
};
const result = await mod.main(process.argv.slice(3));
console.log(JSON.stringify({ bench: name, ...result }));
process.exit(result.ok === true ? 0 : 1);
