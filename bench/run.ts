/**
 * `npm run bench -- NAME`: runs bench/NAME.ts, whose `main()` returns the figures, ratios and
 * `ok` against the goal; prints them as ONE JSON object on the last line.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

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
const mod = (await import(path.join(here, `${name}.ts`))) as {
  main: (args: string[]) => Promise<Record<string, unknown>>;
};
const result = await mod.main(process.argv.slice(3));
console.log(JSON.stringify({ bench: name, ...result }));
process.exit(result.ok === true ? 0 : 1);
