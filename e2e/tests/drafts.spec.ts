import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { e2eEnv } from "../playwright.config.ts";
import { expect, PASSWORD, test } from "./fixtures.ts";

/**
 * Issue 17 item 5 in the studio: a draft is renamed in the renders list, the list is filtered by
 * text and kind, and a draft is deleted (after a confirmation) with its files: its video URL
 * answers 404 afterwards. The refusals (someone else's draft, a viewer, a published draft) are
 * tested in shared/src/generation/drafts.server.test.ts.
 */
test.describe.configure({ timeout: 300_000 });

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
function helper(...args: string[]): Record<string, string> {
  const out = execFileSync(process.execPath, ["--import", "tsx", "e2e/social-helper.ts", ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...e2eEnv },
    encoding: "utf8",
    timeout: 300_000,
  });
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

test("rename, filter and delete drafts in the renders list", async ({ page }, info) => {
  const username = `drafter_${Date.now().toString(36)}`;
  helper("user", username);
  const first = helper("draft", username);
  const second = helper("draft", username, first.projectId!);

  await page.goto("/signin");
  await page.getByLabel("Email or username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/signin/);
  await page.goto(`/projects/${first.projectId}`);
  const jobs = page.getByTestId("job");
  await expect(jobs).toHaveCount(2);
  await expect(page.getByTestId("renders-count")).toHaveText("2 drafts");

  // Rename the older one (the list is newest first).
  const older = jobs.nth(1);
  await older.getByRole("button", { name: "Rename" }).click();
  const name = older.getByLabel("Draft name");
  await expect(name).toBeFocused();
  await name.fill("   ");
  await older.getByRole("button", { name: "Save" }).click();
  await expect(older.getByRole("alert")).toHaveText("Give the draft a name.");
  await name.fill("Fox keeper take");
  await older.getByRole("button", { name: "Save" }).click();
  await expect(older.getByTestId("render-label")).toHaveText("Fox keeper take");

  // Filter by text, then by a kind nothing has.
  await page.getByLabel("Search renders").fill("keeper");
  await expect(jobs).toHaveCount(1);
  await expect(page.getByTestId("renders-count")).toHaveText("1 of 2 shown");
  await page.getByLabel("Search renders").fill("");
  await page.getByLabel("Kind").selectOption("sequence");
  await expect(page.getByText("No render matches.")).toBeVisible();
  await page.getByRole("button", { name: "Clear the filter" }).click();
  await expect(jobs).toHaveCount(2);
  await page.screenshot({
    path: path.join(process.env.SCREENSHOTS_DIR ?? info.outputDir, "drafts-renamed.png"),
    fullPage: true,
  });

  // The rename is kept on reload; then delete the newer draft with its files.
  await page.reload();
  await expect(page.getByTestId("render-label").filter({ hasText: "Fox keeper take" })).toHaveCount(
    1,
  );
  const videoUrl = `/projects/${first.projectId}/drafts/${second.draftId}/video.mp4`;
  expect((await page.request.get(videoUrl)).status()).toBe(200);
  const newer = jobs.filter({ hasNotText: "Fox keeper take" });
  await newer.getByRole("button", { name: "Delete…" }).click();
  await expect(newer.getByText("Delete this draft and its files?")).toBeVisible();
  await newer.getByRole("button", { name: "Delete draft" }).click();
  await expect(jobs).toHaveCount(1);
  await expect(page.getByTestId("renders-count")).toHaveText("1 draft");
  expect((await page.request.get(videoUrl)).status()).toBe(404);
  await page.reload();
  await expect(jobs).toHaveCount(1);
});
