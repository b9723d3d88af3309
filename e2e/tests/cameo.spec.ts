import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";
import { buildFootage, followPlan } from "../../workers/src/cameo/footage.server.ts";
import { e2eEnv } from "../playwright.config.ts";
import { expect, PASSWORD, test } from "./fixtures.ts";

/**
 * A new person records their cameo in the browser through Chromium's fake camera and microphone
 * and it passes liveness. The footage: the portrait @vladmandic/human ships
 * (assets/screenshot-faceid.jpg), tilted by ffmpeg into the head turns the prompts ask for, with a
 * voiced buzz while the digits are asked (workers/src/cameo/footage.server.ts), as Y4M + WAV.
 *
 * The prompts are random and the fake camera plays a fixed file, so the test asks the server for
 * a genuine signed plan first (GET /cameos/record with the person's session), builds the footage
 * to follow it, and hands the page that same plan when it asks. The file loops; the take is
 * started as the loop begins, so the recording sees the poses in the prompted seconds.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function helper(...args: string[]): Record<string, string> {
  const out = execFileSync(process.execPath, ["--import", "tsx", "e2e/social-helper.ts", ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...e2eEnv },
    encoding: "utf8",
    timeout: 120_000,
  });
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

test("a new person records a cameo through the fake camera and it passes liveness", async ({
  browser,
  baseURL,
}, testInfo) => {
  test.setTimeout(300_000);
  const username = `mia${Date.now() % 100000}`;
  helper("user", username);

  // Sign in, and get a signed plan the footage will follow.
  const signin = await browser.newContext();
  const first = await signin.newPage();
  await first.goto("/signin");
  await first.getByLabel("Email or username").fill(username);
  await first.getByLabel("Password").fill(PASSWORD);
  await first.getByRole("button", { name: "Sign in" }).click();
  await expect(first.getByRole("heading", { name: `Welcome, @${username}` })).toBeVisible();
  const res = await first.request.get("/cameos/record", {
    headers: { accept: "application/json" },
  });
  expect(res.status()).toBe(200);
  const signed = (await res.json()) as {
    plan: { prompts: { kind: "left" | "right" | "up" | "digits" }[] };
    token: string;
  };
  const storage = await signin.storageState();
  await signin.close();

  const dir = mkdtempSync(path.join(os.tmpdir(), "rh-cameo-e2e-"));
  const { poses, speech } = followPlan(signed.plan);
  poses.push("center"); // the half second after the last prompt, and the loop's rest
  await buildFootage({
    out: path.join(dir, "face.y4m"),
    audioOut: path.join(dir, "face.wav"),
    format: "y4m",
    poses,
    speech,
  });
  const period = poses.length;

  const camera = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      `--use-file-for-fake-video-capture=${path.join(dir, "face.y4m")}`,
      `--use-file-for-fake-audio-capture=${path.join(dir, "face.wav")}`,
    ],
  });
  try {
    const ctx = await camera.newContext({
      baseURL,
      storageState: storage,
      viewport: { width: 1280, height: 800 },
      permissions: ["camera", "microphone"],
    });
    const page = await ctx.newPage();
    await page.route("**/cameos/record", (route) =>
      route.request().method() === "GET"
        ? route.fulfill({ json: { ...signed, maxBytes: 40 * 1024 * 1024 } })
        : route.continue(),
    );
    await page.goto("/cameos");
    await expect(page.getByTestId("cameos-empty")).toBeVisible();
    await page.getByTestId("cameo-new").click();
    await page.getByRole("button", { name: "Turn on camera" }).click();
    await expect(page.getByTestId("cameo-light")).toBeVisible();
    await expect(page.getByTestId("cameo-cue")).toHaveText("Centre your face in the oval");

    // Start the take as the file's loop begins (the stream's clock counts from its first frame).
    const preview = await page.getByTestId("cameo-preview").elementHandle();
    await page.waitForFunction(
      ([el, p]) => {
        const t = (el as unknown as { currentTime: number }).currentTime;
        return t > 0.5 && t % (p as number) > (p as number) - 0.15;
      },
      [preview, period] as const,
      { polling: 10, timeout: 20_000 },
    );
    await page.getByTestId("cameo-record").click();
    // The prompts appear in the signed order.
    const cue = page.getByTestId("cameo-cue");
    for (const [i, p] of signed.plan.prompts.entries()) {
      await expect(cue).toHaveAttribute("data-index", String(i), { timeout: 3000 });
      const words = { digits: "Read aloud", up: "Look up", left: "left", right: "right" }[p.kind];
      await expect(cue).toContainText(words);
    }

    await expect(page.getByTestId("cameo-take")).toBeVisible({ timeout: 15_000 });
    await page.getByTestId("cameo-consent").check();
    await page.getByTestId("cameo-upload").click();
    await expect(page.getByTestId("cameo-processing")).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId("cameo-status")).toHaveText(/Ready|Not accepted|Failed/, {
      timeout: 240_000,
    });
    await page.screenshot({ path: testInfo.outputPath("cameo-done.png"), fullPage: true });
    // A refusal's reason, if any, is in the failure message.
    const reason = (await page.getByTestId("cameo-refused").allTextContents()).join(" ");
    expect(reason, "the cameo was refused").toBe("");
    await expect(page.getByTestId("cameo-status")).toHaveText("Ready");
    // The face kit's cutout is the cameo's thumbnail.
    await expect
      .poll(() =>
        page
          .getByTestId("cameo-face")
          .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBeGreaterThan(0);
    await page.screenshot({ path: testInfo.outputPath("cameo-ready.png"), fullPage: true });
  } finally {
    await camera.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
