import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { e2eEnv } from "../playwright.config.ts";
import { ADMIN, expect, onboard, test } from "./fixtures.ts";

/**
 * The social platform end to end in Chromium against the real launcher: the creator publishes
 * through the durable publish workflow; a new member scrolls the vertical feed with the keyboard,
 * likes, comments, follows, remixes and publishes the remix (labelled "Remix of @owner"); the
 * creator sees the notifications; a report goes through the moderation queue. Drafts are made by
 * e2e/social-helper.ts through the real generation service and worker (see its header).
 */
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

async function signIn(page: Page, login: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("Email or username").fill(login);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/signin/);
}

async function publish(page: Page, draftId: string, caption: string): Promise<string> {
  await page.goto(`/publish/${draftId}`);
  await page.getByLabel("Caption").fill(caption);
  await page.getByRole("button", { name: "Publish to the feed" }).click();
  await page.waitForURL(/\/p\/[0-9a-f-]{36}$/, { timeout: 180_000 });
  return page.url();
}

test("scroll the feed, like, comment, follow, remix and publish the remix", async ({
  browser,
  inviteCode,
}, testInfo) => {
  test.setTimeout(900_000);
  const shots = process.env.SCREENSHOTS_DIR ?? testInfo.outputPath("shots");
  mkdirSync(shots, { recursive: true });
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(shots, `social-${name}.png`) });

  // The creator publishes two videos (the second one twice: a double submit makes one post).
  const creator = await (
    await browser.newContext({ viewport: { width: 1280, height: 860 } })
  ).newPage();
  await signIn(creator, ADMIN.username, ADMIN.password);
  const first = helper("draft", ADMIN.username);
  const firstUrl = await publish(creator, first.draftId!, "Fox at dawn #fox #winter");
  await expect(creator.getByText("Fox at dawn")).toBeVisible();
  const second = helper("draft", ADMIN.username);
  await creator.goto(`/publish/${second.draftId}`);
  await creator.getByLabel("Caption").fill("Second take #fox");
  await creator.getByRole("button", { name: "Publish to the feed" }).dblclick();
  await creator.waitForURL(/\/p\/[0-9a-f-]{36}$/, { timeout: 180_000 });
  const secondUrl = creator.url();
  await creator.goto(`/u/${ADMIN.username}`);
  await expect(creator.locator(".thumb-grid li")).toHaveCount(2);

  // A new member scrolls the feed with the keyboard.
  const fanName = `fan${Date.now().toString(36).slice(-6)}`;
  const fanCtx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const fan = await fanCtx.newPage();
  // In a shared working tree another launcher can rebuild web/build under this server; say so
  // plainly instead of failing later on a page that never hydrated.
  for (const page of [creator, fan]) {
    page.on("response", (r) => {
      if (r.url().includes("/assets/") && r.status() === 404)
        console.error(`ASSET 404 (web build replaced under the server): ${r.url()}`);
    });
  }
  await onboard(fan, { inviteCode, username: fanName });
  await fan.goto("/feed");
  const items = fan.locator("[data-testid=feed] article");
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toHaveAttribute("aria-current", "true");
  const firstVideo = items.nth(0).locator("video");
  await expect
    .poll(() =>
      firstVideo.evaluate((v: { paused: boolean; muted: boolean }) => !v.paused && v.muted),
    )
    .toBe(true); // autoplay, muted
  await shot(fan, "feed");
  await fan.keyboard.press("j");
  await expect(items.nth(1)).toHaveAttribute("aria-current", "true");
  await expect
    .poll(() => firstVideo.evaluate((v: { paused: boolean; muted: boolean }) => v.paused))
    .toBe(true);
  await fan.keyboard.press("k");
  await expect(items.nth(0)).toHaveAttribute("aria-current", "true");
  await fan.keyboard.press("m");
  await expect
    .poll(() => firstVideo.evaluate((v: { paused: boolean; muted: boolean }) => v.muted))
    .toBe(false);

  // Like with the keyboard (l), then check it stuck.
  const firstId = await items.nth(0).getAttribute("data-post-id");
  // The button flips at once (optimistic); wait for the server to answer before leaving the page,
  // or the navigation below would race the like's request.
  const likeSaved = fan.waitForResponse(
    (r) => r.request().method() === "POST" && r.url().includes(`/p/${firstId}/like`),
  );
  await fan.keyboard.press("l");
  expect((await likeSaved).ok()).toBe(true);
  await expect(items.nth(0).getByRole("button", { name: "Unlike" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  await fan.goto(`/p/${firstId}`);
  await expect(fan.getByTestId("like-button")).toHaveAttribute("aria-pressed", "true");
  await expect(fan.getByTestId("like-count")).toHaveText("1");

  // Comment and follow on the first post's page.
  await fan.goto(firstUrl);
  await fan.getByLabel("Comment", { exact: true }).fill(`Lovely light @${ADMIN.username}`);
  await fan.getByRole("button", { name: "Comment", exact: true }).click();
  await expect(fan.getByTestId("comment").filter({ hasText: "Lovely light" })).toBeVisible();
  const followSaved = fan.waitForResponse(
    (r) => r.request().method() === "POST" && r.url().includes(`/u/${ADMIN.username}/follow`),
  );
  await fan.getByRole("button", { name: "Follow" }).click();
  expect((await followSaved).ok()).toBe(true);
  await expect(fan.getByRole("button", { name: "Following" })).toBeVisible();
  await fan.goto("/feed?tab=following");
  await expect(items).toHaveCount(2);
  await fan.goto(firstUrl);
  await shot(fan, "post");

  // Remix: a new project prefilled from the original, then publish the remix.
  await fan.getByRole("button", { name: /Remix/ }).click();
  await fan.waitForURL(/\/projects\/[0-9a-f-]{36}/);
  await expect(fan.getByText(`Remix of @${ADMIN.username}`).first()).toBeVisible();
  const { projectId } = helper("remix-project", fanName);
  expect(projectId).toBeTruthy();
  const remixDraft = helper("draft", fanName, projectId!);
  await fan.goto(`/publish/${remixDraft.draftId}`);
  await expect(fan.getByText(`@${ADMIN.username}`)).toBeVisible();
  const remixUrl = await publish(fan, remixDraft.draftId!, "My take on the fox");
  await expect(fan.getByRole("link", { name: `↻ Remix of @${ADMIN.username}` })).toHaveAttribute(
    "href",
    new URL(firstUrl).pathname,
  );
  expect(remixUrl).not.toBe(firstUrl);

  // Report the second post; it lands in the moderation queue.
  await fan.goto(secondUrl);
  await fan.getByText("Report video").click();
  await fan.getByLabel("Reason").selectOption("spam");
  await fan.getByRole("button", { name: "Send report" }).click();
  await expect(fan.getByText("a moderator will review it")).toBeVisible();

  // The creator's notifications: live unread badge, then the list, then mark read.
  await creator.goto("/feed");
  await expect(creator.getByTestId("unread-count")).toBeVisible();
  await creator.goto("/notifications");
  for (const text of [
    `@${fanName} liked your video`,
    `@${fanName} commented on your video`,
    `@${fanName} started following you`,
    `@${fanName} remixed your video`,
    `@${fanName} mentioned you`,
  ]) {
    await expect(creator.getByText(text)).toBeVisible();
  }
  await shot(creator, "notifications");
  await creator.getByRole("button", { name: /Mark all read/ }).click();
  await expect(creator.getByTestId("unread-count")).toHaveCount(0);

  // Moderation: keep, logged with a reason; the reporter is told.
  helper("moderator", ADMIN.username);
  await creator.goto("/moderation");
  const item = creator.getByTestId("mod-item").filter({ hasText: "Second take" });
  await expect(item).toBeVisible();
  await shot(creator, "moderation");
  await item.getByLabel("Reason for the decision").fill("Not spam: the creator's own video");
  await item.getByRole("button", { name: "Keep" }).click();
  await expect(creator.getByTestId("mod-item").filter({ hasText: "Second take" })).toHaveCount(0);
  await fan.goto("/notifications");
  await expect(fan.getByText("the content stays up")).toBeVisible();
});
