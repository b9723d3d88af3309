import { expect, test } from "@playwright/test";
import { createSession } from "@reelhouse/shared/accounts/sessions.server";
import { createAccount } from "@reelhouse/shared/accounts/users.server";
import { withDatabase } from "@reelhouse/shared/db/cli-database.server";
import { createPool } from "@reelhouse/shared/db/pool.server";
import { createProject } from "@reelhouse/shared/workspaces/projects.server";
import { createWorkspace } from "@reelhouse/shared/workspaces/workspaces.server";

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

const suffix = Date.now().toString(36).slice(-5) + Math.random().toString(36).slice(2, 5);
let token: string;
let projectId: string;

test.beforeAll(async () => {
  await withDatabase(async (url) => {
    const pool = createPool(url, 2);
    try {
      const username = `gen_${suffix}`;
      const { user } = await createAccount(
        pool,
        {
          email: `${username}@example.test`,
          password: `Sturdy-${suffix}-Passphrase!`,
          birthdate: "1990-04-12",
          username,
        },
        { inviteRequired: false },
      );
      token = (await createSession(pool, user.id, "playwright")).token;
      const ws = await createWorkspace(pool, user.id, `Gen studio ${suffix}`);
      projectId = (await createProject(pool, user.id, ws.id, "Harbor at dawn")).id;
    } finally {
      await pool.end();
    }
  });
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
});
