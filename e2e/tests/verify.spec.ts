import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { e2eEnv } from "../playwright.config.ts";
import { expect, test, waitForHydration } from "./fixtures.ts";

/**
 * /verify in a real browser (issue 16 A.3): a published post's download names its post and its
 * claims; an edited version (never published) names its draft and workspace and says it was
 * edited; a video that never came from here and a file that is no video get clear answers.
 * Screenshots at desktop width and at 390 px.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dir = mkdtempSync(path.join(os.tmpdir(), "rh-verify-e2e-"));

function provenance(...args: string[]) {
  const res = execFileSync(
    process.execPath,
    ["--import", "tsx", "e2e/provenance-helper.ts", ...args],
    { cwd: repoRoot, env: { ...process.env, ...e2eEnv }, encoding: "utf8", timeout: 900_000 },
  );
  return JSON.parse(res.trim().split("\n").at(-1)!);
}

async function check(page: Page, file: string) {
  const answered = page.waitForResponse(
    (r) => new URL(r.url()).pathname === "/verify" && r.request().method() === "POST",
    { timeout: 120_000 },
  );
  await page.getByLabel("Video or image to verify").setInputFiles(file);
  await answered;
}

test("verify: a post's download, an edited version, an unmarked video and garbage", async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(1_200_000);
  const s = provenance("setup", `ver_${Date.now().toString(36)}`) as {
    session: string;
    username: string;
    projectId: string;
    postId: string;
    editDraftId: string;
  };
  const download = path.join(dir, "download.mp4");
  writeFileSync(download, await (await request.get(`/p/${s.postId}/download.mp4`)).body());
  const edited = path.join(dir, "edited.mp4");
  const res = await request.get(`/projects/${s.projectId}/drafts/${s.editDraftId}/video.mp4`, {
    headers: { cookie: `rh_session=${s.session}` },
  });
  expect(res.status()).toBe(200);
  writeFileSync(edited, await res.body());
  const unmarked = path.join(dir, "unmarked.mp4");
  execFileSync("ffmpeg", [
    ...["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=360x640:rate=24:duration=3"],
    ...["-pix_fmt", "yuv420p", unmarked],
  ]);
  const garbage = path.join(dir, "holiday.mp4");
  writeFileSync(garbage, randomBytes(20_000));

  for (const [label, width] of [
    ["desktop", 1280],
    ["phone", 390],
  ] as const) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/verify");
    await waitForHydration(page);
    const result = page.locator(".verify-result");

    await check(page, download);
    await expect(result).toHaveAttribute("data-verdict", "verified");
    await expect(result).toContainText("Made on this Reelhouse");
    await expect(result.getByRole("link", { name: new RegExp(`@${s.username}`) })).toHaveAttribute(
      "href",
      `/p/${s.postId}`,
    );
    await expect(result).toContainText("AI-generated (trained algorithmic media)");
    await expect(result).toContainText("c2pa.watermarked");
    await expect(result).toContainText(/Invisible watermark\s*Found/);
    await page.screenshot({
      path: testInfo.outputPath(`verify-post-${label}.png`),
      fullPage: true,
    });

    await check(page, edited);
    await expect(result).toHaveAttribute("data-verdict", "verified");
    await expect(result.getByTestId("verify-draft")).toContainText(
      `From an unpublished draft ${s.editDraftId.slice(0, 8)} of the workspace Lighthouse studio`,
    );
    await expect(result).toContainText("c2pa.edited");
    await expect(result).toContainText(/Invisible watermark\s*Found/);
    await page.screenshot({
      path: testInfo.outputPath(`verify-edit-${label}.png`),
      fullPage: true,
    });

    await check(page, unmarked);
    await expect(result).toHaveAttribute("data-verdict", "unknown");
    await expect(result).toContainText("Not from this Reelhouse");
    await expect(result).toContainText(/Invisible watermark\s*Not found/);
    await page.screenshot({
      path: testInfo.outputPath(`verify-unmarked-${label}.png`),
      fullPage: true,
    });

    await check(page, garbage);
    await expect(result).toBeHidden();
    await expect(page.getByRole("status")).toContainText(
      "This is not a video or image we can check (MP4, JPEG or PNG).",
    );
    await page.screenshot({
      path: testInfo.outputPath(`verify-garbage-${label}.png`),
      fullPage: true,
    });
  }
});
