import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { e2eEnv } from "../playwright.config.ts";
import { expect, PASSWORD, test, waitForHydration } from "./fixtures.ts";

/**
 * Issue 17: every page fits a phone. At 390×844 and 360×740 (and a desktop size for contrast) the
 * studio, feed, profile, post and settings pages are measured: the document is no wider than the
 * screen, and no element sticks out past its edges unless it sits inside a container that
 * scrolls sideways on purpose. Screenshots go to SCREENSHOTS_DIR (or the test's output folder).
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

/** What overflows the viewport: the document's width, and elements past its edges. */
async function overflow(page: Page) {
  // Runs in the page; written against `any` because this package's TypeScript has no DOM types.
  return page.evaluate(() => {
    // biome-ignore lint/suspicious/noExplicitAny: browser globals in a Node-typed package.
    const w = globalThis as any;
    const doc = w.document;
    const vw: number = doc.documentElement.clientWidth;
    // biome-ignore lint/suspicious/noExplicitAny: a DOM element.
    const scrollsSideways = (el: any): boolean => {
      for (let e = el?.parentElement; e; e = e.parentElement) {
        const o = w.getComputedStyle(e).overflowX;
        if ((o === "auto" || o === "scroll" || o === "hidden") && e !== doc.body) return true;
      }
      return false;
    };
    const out: string[] = [];
    for (const el of Array.from(doc.querySelectorAll("body *")) as any[]) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if ((r.right > vw + 1 || r.left < -1) && !scrollsSideways(el))
        out.push(
          `${String(el.tagName).toLowerCase()}.${Array.from(el.classList).join(".")} ${Math.round(r.left)}→${Math.round(r.right)}`,
        );
    }
    return {
      documentWidth: doc.documentElement.scrollWidth as number,
      viewport: vw,
      outside: out.slice(0, 10),
    };
  });
}

test("the studio, feed, profile, post and settings pages fit a phone", async ({
  browser,
}, info) => {
  // The longest username there can be, and a caption with words longer than a phone is wide:
  // what people (and the earlier specs) put on these pages must wrap, not push them wider.
  const username = `phone_${Date.now().toString(36)}_`.padEnd(30, "w");
  helper("user", username);
  const { postId, projectId } = helper(
    "post",
    username,
    `Phone check ${"Supercalifragilisticexpialidocious".repeat(2)} #${"averyveryverylonghashtag".repeat(2)} https://example.com/${"a".repeat(60)}`,
  );
  const pages: [string, string][] = [
    ["studio", `/projects/${projectId}`],
    ["feed", "/feed"],
    ["profile", `/u/${username}`],
    ["post", `/p/${postId}`],
    ["settings", "/settings"],
    ["projects", "/projects"],
  ];
  for (const [w, h] of [
    [390, 844],
    [360, 740],
    [1280, 800],
  ] as const) {
    const ctx = await browser.newContext({
      viewport: { width: w, height: h },
      isMobile: w < 500,
      hasTouch: w < 500,
    });
    const page = await ctx.newPage();
    await page.goto("/signin");
    await page.getByLabel("Email or username").fill(username);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).not.toHaveURL(/signin/);
    for (const [name, url] of pages) {
      await page.goto(url);
      await waitForHydration(page);
      const o = await overflow(page);
      const file = path.join(
        process.env.SCREENSHOTS_DIR ?? info.outputDir,
        `phone-${w}x${h}-${name}.png`,
      );
      await page.screenshot({ path: file });
      expect(o.outside, `${name} at ${w}×${h}`).toEqual([]);
      expect(o.documentWidth, `${name} at ${w}×${h}`).toBeLessThanOrEqual(o.viewport);
    }
    // Touch targets in the top bar are at least 40 px tall on a phone.
    if (w < 500) {
      for (const el of await page.locator(".topbar a, .topbar summary, .topbar button").all()) {
        const box = await el.boundingBox();
        if (box) expect(box.height, (await el.textContent()) ?? "").toBeGreaterThanOrEqual(40);
      }
    }
    await ctx.close();
  }
});
