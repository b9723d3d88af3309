// Prints one closing line "N passed, N failed" over the vitest and Playwright JSON reports.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];

const vitestFile = path.join(dir, "vitest.json");
if (existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, "utf8"));
  passed += v.numPassedTests ?? 0;
  failed += v.numFailedTests ?? 0;
  // A file that fails to load has no failed test but fails the run: count it.
  if (v.success === false && !v.numFailedTests) failed += Math.max(1, v.numFailedTestSuites ?? 0);
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
} else missing.push("vitest");

const pwFile = path.join(dir, "playwright.json");
if (existsSync(pwFile)) {
  const p = JSON.parse(readFileSync(pwFile, "utf8"));
  passed += p.stats?.expected ?? 0;
  failed += p.stats?.unexpected ?? 0;
  skipped += p.stats?.skipped ?? 0;
} else missing.push("playwright");

for (const m of missing) console.log(`(no ${m} report: that layer did not run to completion)`);
if (missing.length) failed += missing.length;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
