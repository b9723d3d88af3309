import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, helper, signIn, test } from "./fixtures.ts";

/**
 * Issue 14 acceptance: a guest on a review link draws an arrow at a frame and comments on a range;
 * the owner, in another browser, sees both at that frame without reloading; a new version is
 * uploaded to the stack (a video file through "Upload new version"; a text file named .mp4 is
 * refused); the client approves it; publishing a version that is not approved is refused when
 * the workspace requires approval. Also: team-only notes never reach the guest, a wrong
 * passphrase gets nothing, revoking cuts off the open guest page, and drawings survive a reload
 * and land on the same spot at another player size. v1 comes from e2e/social-helper.ts (the real
 * generation service and worker, through the `helper` fixture).
 */
const SHOTS = process.env.SCREENSHOTS_DIR;
const SCRATCH = mkdtempSync(path.join(os.tmpdir(), "rh-review-e2e-"));

const frameOf = async (page: Page) =>
  Number(await page.getByTestId("timecode").first().getAttribute("data-frame"));

async function goToFrame(page: Page, target: number) {
  await page.locator("body").click({ position: { x: 2, y: 2 } });
  await page.keyboard.press("k");
  for (let i = 0; i < 200 && (await frameOf(page)) !== target; i++)
    await page.keyboard.press((await frameOf(page)) < target ? "ArrowRight" : "ArrowLeft");
  expect(await frameOf(page)).toBe(target);
}

test("review: guest arrow + range comment live for the owner, uploaded new version, client approval, approval-gated publishing, revocation", async ({
  browser,
}) => {
  test.setTimeout(600_000);
  const owner = `own${Date.now().toString(36)}`.slice(0, 20);
  helper("user", owner);
  const v1 = helper("draft", owner);

  const ownerCtx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const op = await ownerCtx.newPage();
  await signIn(op, owner);
  await op.goto(`/review/${v1.draftId}`);
  await expect(op.getByTestId("live-state")).toHaveText("Live");
  await expect(op.getByText("No comments yet.")).toBeVisible();

  // A link to the whole stack, comment + approve, with a passphrase.
  await op.getByLabel("Opens").selectOption("stack");
  await op.getByLabel("Guests may").selectOption("comment");
  await op.getByLabel("and set the status").check();
  await op.getByLabel("Passphrase").fill("open sesame");
  await op.getByRole("button", { name: "Create link" }).click();
  const linkUrl = (await op.getByTestId("link-url").textContent())!;
  const linkPath = new URL(linkUrl).pathname;

  const guestCtx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const gp = await guestCtx.newPage();
  await gp.goto(linkPath);
  await gp.getByLabel("Your name").fill("Client Carla");
  await gp.getByLabel("Passphrase").fill("wrong guess");
  await gp.getByRole("button", { name: "Open the review" }).click();
  await expect(gp.getByRole("alert")).toContainText(/not found|does not exist/i);
  await gp.getByLabel("Your name").fill("Client Carla");
  await gp.getByLabel("Passphrase").fill("open sesame");
  await gp.getByRole("button", { name: "Open the review" }).click();
  await expect(gp.getByTestId("live-state")).toHaveText("Live");
  await expect(gp.getByText("A red fox trots through fresh snow")).toBeVisible();

  // The team writes a team-only note first: the guest must never see it.
  await goToFrame(op, 3);
  await op
    .getByLabel("Comment", { exact: true })
    .fill("internal: client will push back on the colour");
  await op.getByLabel("Team only").check();
  await op.getByRole("button", { name: "Comment", exact: true }).click();
  await expect(op.getByTestId("note")).toHaveCount(1);

  // The guest draws an arrow at frame 12 and comments on it.
  await goToFrame(gp, 12);
  await gp.getByRole("button", { name: "Arrow" }).click();
  const stage = gp.getByTestId("shapes");
  const box = (await stage.boundingBox())!;
  await gp.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.3);
  await gp.mouse.down();
  await gp.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.45, { steps: 5 });
  await gp.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 5 });
  await gp.mouse.up();
  await gp.getByLabel("Comment", { exact: true }).fill("Move the fox here");
  await gp.getByRole("button", { name: "Comment", exact: true }).click();
  // …and comments on the range 30–60.
  await goToFrame(gp, 30);
  await gp.keyboard.press("i");
  await goToFrame(gp, 60);
  await gp.keyboard.press("o");
  await expect(gp.getByTestId("compose-anchor")).toHaveText("Range 00:00:01:00 – 00:00:02:00");
  await gp.getByLabel("Comment", { exact: true }).fill("Too slow from here to here");
  await gp.getByRole("button", { name: "Comment", exact: true }).click();
  await expect(gp.getByTestId("note")).toHaveCount(2);
  await expect(gp.getByText("internal: client will push back")).toHaveCount(0);
  if (SHOTS) await gp.screenshot({ path: path.join(SHOTS, "review-guest.png") });

  // The owner sees both without reloading, at that exact frame.
  await expect(op.getByTestId("note")).toHaveCount(3);
  await expect(op.getByTestId("marker").and(op.locator('[data-frame="12"]'))).toHaveCount(1);
  await expect(op.getByTestId("marker").and(op.locator('[data-frame="30"]'))).toHaveCount(1);
  await op.getByTestId("marker").and(op.locator('[data-frame="12"]')).click();
  expect(await frameOf(op)).toBe(12);
  const arrow = op.getByTestId("shapes").locator('[data-tool="arrow"]');
  await expect(arrow).toHaveCount(1);
  if (SHOTS)
    await op.screenshot({ path: path.join(SHOTS, "review-owner-frame12.png"), fullPage: true });
  await expect(op.getByText("Client Carla").first()).toBeVisible();
  await expect(
    op.getByTestId("note").filter({ hasText: "Move the fox here" }).getByText("Guest"),
  ).toBeVisible();
  // Not on another frame.
  await goToFrame(op, 13);
  await expect(op.getByTestId("shapes").locator('[data-tool="arrow"]')).toHaveCount(0);
  if (SHOTS) await op.screenshot({ path: path.join(SHOTS, "review-owner.png") });

  // Drawings survive a reload and land on the same spot at another player size.
  await op.setViewportSize({ width: 900, height: 800 });
  await op.reload();
  await expect(op.getByTestId("live-state")).toHaveText("Live");
  await op.getByTestId("marker").and(op.locator('[data-frame="12"]')).click();
  const svg = (await op.getByTestId("shapes").boundingBox())!;
  const tip = op.getByTestId("shapes").locator('[data-tool="arrow"] line');
  const x2 = Number(await tip.getAttribute("x2"));
  const y2 = Number(await tip.getAttribute("y2"));
  expect(Math.abs(x2 / svg.width - 0.6)).toBeLessThan(0.02);
  expect(Math.abs(y2 / svg.height - 0.5)).toBeLessThan(0.02);
  await op.setViewportSize({ width: 1400, height: 900 });

  // A new version is UPLOADED to the stack (a video file through the version menu): a text file
  // named .mp4 is refused by content and adds nothing; a real WebM, picked with the file chooser,
  // becomes v2 via the worker.
  // Dropped on the tile (a real drop event carrying a File), the text file is refused by content.
  const drop = await op.evaluateHandle(() => {
    // In the page (this package's tsconfig has no DOM types).
    const w = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: string[], name: string, opts: { type: string }) => unknown;
    };
    const dt = new w.DataTransfer();
    const body = "not a video, just notes about the cut\n".repeat(20);
    dt.items.add(new w.File([body], "notes.mp4", { type: "video/mp4" }));
    return dt;
  });
  await op.getByTestId("upload-version").dispatchEvent("dragover", { dataTransfer: drop });
  await op.getByTestId("upload-version").dispatchEvent("drop", { dataTransfer: drop });
  await expect(op.getByTestId("upload-version").getByRole("alert")).toContainText(
    "not a WebM or MP4 video",
  );
  await expect(op.getByTestId("version")).toHaveCount(1);
  await op.getByTestId("upload-version").getByRole("button", { name: "Dismiss" }).click();
  const cut = path.join(SCRATCH, "fox-recut.webm");
  execFileSync("ffmpeg", [
    ...["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi"],
    ...["-i", "testsrc2=s=640x360:r=30:d=4", "-f", "lavfi", "-i", "sine=f=330:d=4"],
    ...["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "600k"],
    ...["-c:a", "libopus", cut],
  ]);
  await op.getByLabel("Video file for the new version").setInputFiles(cut);
  await expect(op).not.toHaveURL(new RegExp(`/review/${v1.draftId}`), { timeout: 240_000 });
  const v2 = { draftId: new URL(op.url()).pathname.split("/").at(-1)! };
  await expect(op.getByTestId("version")).toHaveCount(2);
  await expect(op.getByRole("heading", { level: 1 })).toContainText("v2");
  await expect(op.getByTestId("status")).toHaveText("Needs review");
  await expect(op.getByText("Uploaded fox-recut.webm")).toBeVisible();
  await expect
    .poll(
      () =>
        op
          .locator("video")
          .first()
          .evaluate((v) => (v as unknown as { readyState: number }).readyState),
      { timeout: 30_000 },
    )
    .toBeGreaterThan(0);
  if (SHOTS) await op.screenshot({ path: path.join(SHOTS, "review-uploaded-v2.png") });
  // Compare v2 with v1: side by side, then a wipe, both videos following the same playhead.
  await op.goto(`/review/${v2.draftId}?compare=${v1.draftId}`);
  await expect(op.getByText(/Comparing v2 with v1/)).toBeVisible();
  await expect(op.locator("video")).toHaveCount(2);
  await goToFrame(op, 45);
  const times = await op
    .locator("video")
    .evaluateAll((vs) => vs.map((v) => (v as unknown as { currentTime: number }).currentTime));
  expect(Math.abs(times[0]! - times[1]!)).toBeLessThan(1 / 30);
  if (SHOTS) await op.screenshot({ path: path.join(SHOTS, "review-compare.png") });
  await op.getByRole("button", { name: "Wipe" }).click();
  await expect(op.getByLabel("Wipe position")).toBeVisible();
  await gp.goto(`${linkPath}?v=${v2.draftId}`);
  await expect(gp.getByRole("heading", { level: 1 })).toContainText("v2");
  await gp.getByRole("button", { name: "Approved" }).click();
  await expect(gp.getByTestId("status")).toHaveText("Approved");
  await op.reload();
  await expect(op.getByTestId("status")).toHaveText("Approved");
  await expect(op.getByText(/Approved by Client Carla \(guest\)/)).toBeVisible();

  // Approval required: v1 (needs review) is refused, v2 (approved) can be published.
  await op.getByLabel("Require approval before publishing").check();
  await op.getByRole("button", { name: "Save rules" }).click();
  await expect(op.getByText("Only approved versions can be published.").first()).toBeVisible();
  const refused = await op.goto(`/publish/${v1.draftId}`);
  expect(refused?.status()).toBe(403);
  await expect(op.getByText(/approved versions only: v1 is needs review/)).toBeVisible();
  await op.goto(`/publish/${v2.draftId}`);
  await expect(op.getByTestId("publish-video")).toBeVisible();
  await expect(op.getByText("v2", { exact: false }).first()).toBeVisible();
  await op.getByRole("button", { name: "Publish to the feed" }).click();
  await expect(op).toHaveURL(/\/p\//, { timeout: 120_000 });

  // Revoking the link cuts off the open guest page, and a reload gets nothing.
  await op.goto(`/review/${v2.draftId}`);
  await op.getByRole("button", { name: "Revoke" }).click();
  await expect(gp.getByText("This review is no longer available")).toBeVisible({ timeout: 15_000 });
  const gone = await gp.goto(linkPath);
  expect(gone?.status()).toBe(404);
  await ownerCtx.close();
  await guestCtx.close();
});
