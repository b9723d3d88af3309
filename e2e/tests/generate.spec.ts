import { expect, test } from "@playwright/test";
import { makeStudioOwner } from "./studio-owner.ts";

/**
 * A person types a prompt on the project page and presses Generate: the job appears with a live
 * progress bar that moves, then a playable draft that the real worker rendered with the previz
 * backend and ffmpeg; its <video> reports ~4 s. An empty prompt is refused inline, with no job.
 *
 * Login fixture as in collab.spec.ts: the account, workspace and project are made with the domain
 * functions against the launcher's database, and the browser gets a real session cookie.
 */

if (process.env.E2E_DATA_DIR) {
  process.env.DATA_DIR = process.env.E2E_DATA_DIR;
  process.env.PG_PORT = process.env.E2E_PG_PORT ?? "54400";
}

/** The parts of HTMLVideoElement used here (the e2e project has no DOM lib). */
type VideoLike = {
  readyState: number;
  duration: number;
  currentTime: number;
  load(): void;
  addEventListener(type: string, listener: () => void, opts?: { once: boolean }): void;
};

let token: string;
let projectId: string;
let storyProjectId: string;
let cancelProjectId: string;

test.beforeAll(async () => {
  ({
    token,
    projectIds: [projectId, storyProjectId, cancelProjectId],
  } = await makeStudioOwner("gen", "Gen studio", [
    "Harbor at dawn",
    "Lighthouse storyboard",
    "Storm",
  ]));
});

test("Generate: the progress bar moves and a playable 4 s draft appears", async ({
  page,
  context,
  baseURL,
}) => {
  test.setTimeout(180_000);
  await context.addCookies([{ name: "rh_session", value: token, url: baseURL! }]);
  await page.goto(`/projects/${projectId}`);
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-status", "saved", {
    timeout: 15_000,
  });
  const generate = page.getByRole("button", { name: "Generate", exact: true });

  // Refusal first: an empty prompt is explained inline and makes no job.
  await generate.click();
  await expect(page.getByTestId("generate-error")).toContainText("The prompt is empty");
  await expect(page.getByTestId("job")).toHaveCount(0);

  const editor = page.getByTestId("prompt-editor");
  await editor.click();
  await page.keyboard.type(
    "A fishing boat leaves the harbor at dawn, gulls circling. Camera: slow dolly in. Audio: waves and distant gulls.",
  );
  await page.getByLabel("Duration (s)").first().fill("4");
  // Ctrl+Enter from inside the prompt editor generates.
  await page.keyboard.press("Control+Enter");

  const job = page.getByTestId("job").first();
  await expect(job).toBeVisible({ timeout: 5_000 });
  await expect(page.getByTestId("job")).toHaveCount(1);
  const bar = job.getByRole("progressbar");
  await expect(bar).toBeVisible();
  await page.screenshot({
    path: test.info().outputPath("generate-in-progress.png"),
    fullPage: true,
  });
  const seen = new Set<number>();
  // Sample the live bar until the draft appears.
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if ((await job.getAttribute("data-status")) === "succeeded") break;
    const now = await bar.getAttribute("aria-valuenow", { timeout: 1_000 }).catch(() => null);
    if (now !== null) seen.add(Number(now));
    await page.waitForTimeout(300);
  }
  await expect(job).toHaveAttribute("data-status", "succeeded", { timeout: 5_000 });
  const values = [...seen].sort((a, b) => a - b);
  expect(values.length, `progress values seen: ${values.join(", ")}`).toBeGreaterThanOrEqual(2);
  expect(values.at(-1)!).toBeGreaterThan(values[0]!);

  const video = job.getByTestId("draft-video");
  await expect(video).toBeVisible();
  await expect(video).toHaveAttribute("poster", /\/drafts\/[0-9a-f-]+\/poster\.jpg$/);
  await expect(job.getByRole("link", { name: "Publish…" })).toHaveAttribute(
    "href",
    /^\/publish\/[0-9a-f-]{36}$/,
  );
  const duration = await video.evaluate(
    (el) =>
      new Promise<number>((resolve, reject) => {
        const v = el as unknown as VideoLike;
        if (v.readyState >= 1) return resolve(v.duration);
        v.addEventListener("loadedmetadata", () => resolve(v.duration), { once: true });
        v.addEventListener("error", () => reject(new Error("video error")), { once: true });
        v.load();
      }),
  );
  expect(duration).toBeGreaterThan(3.9);
  expect(duration).toBeLessThan(4.1);
  // Seeking works (the draft route answers byte ranges).
  const seeked = await video.evaluate(
    (el) =>
      new Promise<number>((resolve) => {
        const v = el as unknown as VideoLike;
        v.addEventListener("seeked", () => resolve(v.currentTime), { once: true });
        v.currentTime = 3;
      }),
  );
  expect(seeked).toBeGreaterThan(2.9);
  // Hover-scrub: before it is played, moving across the draft previews it from the spritesheet.
  const player = job.getByTestId("draft-player");
  await player.scrollIntoViewIfNeeded();
  const box = (await player.boundingBox())!;
  await player.hover({ position: { x: box.width * 0.7, y: box.height * 0.3 } });
  const scrub = job.locator(".rh-gen-scrub");
  await expect(scrub).toBeVisible();
  const spriteUrl = (await scrub.getAttribute("style"))!.match(/url\("?([^")]+)"?\)/)![1]!;
  const sprite = await page.request.get(spriteUrl);
  expect(sprite.status()).toBe(200);
  expect(sprite.headers()["content-type"]).toBe("image/jpeg");
  await page.screenshot({ path: test.info().outputPath("generate-finished.png"), fullPage: true });
});

test("a non-image upload is refused inline; Cancel stops a running render", async ({
  page,
  context,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await context.addCookies([{ name: "rh_session", value: token, url: baseURL! }]);
  await page.goto(`/projects/${cancelProjectId}`);
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-status", "saved", {
    timeout: 15_000,
  });
  await page.getByTestId("prompt-editor").click();
  await page.keyboard.type("A storm rolls over the harbor at night, lightning over the water.");
  const jobs = page.getByTestId("job");
  await expect(page.getByText("No renders yet.")).toBeVisible();
  await expect(jobs).toHaveCount(0);
  const image = page.getByLabel("Image to animate (optional)");
  await image.setInputFiles({
    name: "harbor.png",
    mimeType: "image/png",
    buffer: Buffer.from("this is a text file, not a picture"),
  });
  await page.getByRole("button", { name: "Generate from image" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "not an image" })).toBeVisible();
  await expect(jobs).toHaveCount(0);

  await image.setInputFiles([]);
  await page.getByLabel("Duration (s)").first().fill("20");
  await page.getByRole("button", { name: "Generate", exact: true }).click();
  await expect(jobs).toHaveCount(1);
  const job = jobs.first();
  await expect(job.getByRole("progressbar")).toBeVisible();
  await expect(job).toHaveAttribute("data-status", /queued|running/);
  await job.getByRole("button", { name: "Cancel" }).click();
  await expect(job).toHaveAttribute("data-status", "cancelled", { timeout: 10_000 });
  await expect(job.getByText("Cancelled")).toBeVisible();
  await expect(job.getByTestId("draft-video")).toHaveCount(0);
  await expect(job.getByRole("progressbar")).toHaveCount(0);
});

test("Storyboard: a shot's render becomes its thumbnail; Render sequence ends in a playable stitched draft", async ({
  page,
  context,
  baseURL,
}) => {
  test.setTimeout(240_000);
  await context.addCookies([{ name: "rh_session", value: token, url: baseURL! }]);
  await page.goto(`/projects/${storyProjectId}`);
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-status", "saved", {
    timeout: 15_000,
  });
  const add = page.locator('[data-action="add-shot"]');
  await add.click();
  await add.click();
  const shots = page.getByTestId("shot");
  await expect(shots).toHaveCount(2);
  await shots
    .nth(0)
    .getByLabel("Prompt")
    .fill("A lighthouse on a cliff at dusk, its beam sweeping");
  await shots.nth(1).getByLabel("Prompt").fill("Waves crash against black rocks below");
  await shots.nth(1).getByLabel("Transition").selectOption("fade");

  // Generate shot 1: its card shows the render's poster when done.
  await page.getByRole("button", { name: "Generate shot 1" }).click();
  const thumb = shots.nth(0).getByRole("img", { name: "Latest render of shot 1" });
  await expect(thumb).toBeVisible({ timeout: 120_000 });
  await expect(thumb).toHaveAttribute("src", new RegExp(`/projects/${storyProjectId}/posters/`));
  await expect
    .poll(() => thumb.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
    .toBeGreaterThan(0);
  await expect(shots.nth(1).getByRole("img")).toHaveCount(0);

  // Render sequence: progress in the storyboard's header, then one stitched draft.
  await page.getByRole("button", { name: "Render sequence" }).click();
  await expect(page.locator(".rh-gen-sequence").getByRole("progressbar")).toBeVisible({
    timeout: 5_000,
  });
  const seq = page.getByTestId("job").filter({ hasText: "Sequence of 2 shots" });
  await expect(seq).toHaveCount(1);
  await page.waitForTimeout(1_500);
  await page.screenshot({
    path: test.info().outputPath("sequence-in-progress.png"),
    fullPage: true,
  });
  await expect(seq).toHaveAttribute("data-status", "succeeded", { timeout: 200_000 });
  const video = seq.getByTestId("draft-video");
  const duration = await video.evaluate(
    (el) =>
      new Promise<number>((resolve, reject) => {
        const v = el as unknown as VideoLike;
        if (v.readyState >= 1) return resolve(v.duration);
        v.addEventListener("loadedmetadata", () => resolve(v.duration), { once: true });
        v.addEventListener("error", () => reject(new Error("video error")), { once: true });
        v.load();
      }),
  );
  // Two 4 s shots with a 0.5 s fade between them.
  expect(duration).toBeGreaterThan(7.3);
  expect(duration).toBeLessThan(8.1);
  // Both shots now have a thumbnail (the sequence's shot renders).
  await expect(shots.nth(1).getByRole("img", { name: "Latest render of shot 2" })).toBeVisible({
    timeout: 15_000,
  });
  await page.screenshot({ path: test.info().outputPath("sequence-finished.png"), fullPage: true });
});
