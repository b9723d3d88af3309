import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { e2eEnv } from "../playwright.config.ts";
import { expect, PASSWORD, test, waitForHydration } from "./fixtures.ts";

/**
 * Issue 17 item 8 on a post's page: the Report button lines up with the actions above it (same
 * left edge, same bordered button), and Reply puts the cursor in the comment box and ends reply
 * mode once the reply is sent. Screenshots go to SCREENSHOTS_DIR (or the test's output folder).
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

async function signIn(page: Page, login: string) {
  await page.goto("/signin");
  await page.getByLabel("Email or username").fill(login);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/signin/);
}

test("on a post, Report lines up with the actions; Reply focuses the box and ends after sending", async ({
  page,
}, info) => {
  const stamp = Date.now().toString(36);
  const author = `poster_${stamp}`;
  const viewer = `viewer_${stamp}`;
  for (const u of [author, viewer]) helper("user", u);
  const { postId } = helper("post", author, "Report and reply check");

  await page.setViewportSize({ width: 1280, height: 860 });
  await signIn(page, viewer);
  await page.goto(`/p/${postId}`);
  await waitForHydration(page);

  // The Report button starts where the action buttons start, and is a button like them.
  const actions = page.locator(".post-actions").first();
  const report = page.locator("details.report-button > summary");
  const a = (await actions.boundingBox())!;
  const r = (await report.boundingBox())!;
  expect(Math.abs(r.x - a.x), "Report's left edge vs the actions row").toBeLessThanOrEqual(1);
  const border = (sel: string) =>
    page
      .locator(sel)
      .first()
      // biome-ignore lint/suspicious/noExplicitAny: browser globals in a Node-typed package.
      .evaluate((el) => (globalThis as any).getComputedStyle(el).borderTopWidth as string);
  expect(await border("details.report-button > summary")).toBe(await border(".post-actions .btn"));
  await page.screenshot({
    path: path.join(process.env.SCREENSHOTS_DIR ?? info.outputDir, "post-report-aligned.png"),
  });

  // A first comment, then Reply to it: the cursor is in the box at once.
  const box = page.getByLabel("Comment", { exact: true });
  await box.fill("First!");
  await page.getByRole("button", { name: "Comment", exact: true }).click();
  const first = page.getByTestId("comment").filter({ hasText: "First!" });
  await expect(first).toBeVisible();
  // Another comment's actions hold Reply, Edit, Delete as text buttons; Report is one too.
  await first.getByRole("button", { name: "Reply" }).click();
  await expect(box).toBeFocused();
  await expect(page.getByTestId("replying-to")).toHaveText(`Replying to @${viewer}`);
  await expect(box).toHaveAttribute("placeholder", "Write a reply…");
  await page.keyboard.type("Answering myself");
  await page
    .locator("form.comment-form")
    .first()
    .getByRole("button", { name: "Reply", exact: true })
    .click();
  const reply = page.locator(".comment-reply").filter({ hasText: "Answering myself" });
  await expect(reply).toBeVisible();
  // Sent: back to a new comment, not another reply.
  await expect(page.getByTestId("replying-to")).toHaveCount(0);
  await expect(box).toHaveAttribute("placeholder", "Add a comment…");
  await expect(page.getByRole("button", { name: "Comment", exact: true })).toBeVisible();
  await box.fill("A new top-level comment");
  await page.getByRole("button", { name: "Comment", exact: true }).click();
  const top = page.getByTestId("comment").filter({ hasText: "A new top-level comment" });
  await expect(top).toBeVisible();
  await expect(top).not.toHaveClass(/comment-reply/);
  await page.screenshot({
    path: path.join(process.env.SCREENSHOTS_DIR ?? info.outputDir, "post-reply-done.png"),
    fullPage: true,
  });
});
