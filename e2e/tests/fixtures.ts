import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test as base, expect, type Page } from "@playwright/test";
import { ADMIN, invitesFile } from "../global-setup.ts";
import { e2eEnv } from "../playwright.config.ts";

/**
 * Fixtures shared by the specs (Epic Stack's playwright-utils pattern):
 * - `inviteCode`: an unused invite code of the administrator (from global setup);
 * - `onboard(page, opts)`: takes a new person through the whole sign-up in the browser;
 * - `helper(...args)`: runs `e2e/social-helper.ts` (members and drafts made through the real
 *   services and worker) against the launcher Playwright started, and returns its JSON answer;
 * - `signIn(page, login, password?)`: signs in through the sign-in page.
 */
export const PASSWORD = "e2e-quiet-meadow-signal-7";

function takeInvite(): string {
  const file = invitesFile();
  const state = JSON.parse(readFileSync(file, "utf8")) as { codes: string[]; next: number };
  const code = state.codes[state.next];
  if (!code) throw new Error("The e2e administrator has no unused invite codes left.");
  writeFileSync(file, JSON.stringify({ ...state, next: state.next + 1 }));
  return code;
}

export async function onboard(
  page: Page,
  opts: { inviteCode: string; username: string; email?: string; birthdate?: string },
): Promise<void> {
  await page.goto("/join");
  await page.getByLabel("Invite code").fill(opts.inviteCode);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await page.getByLabel("Email").fill(opts.email ?? `${opts.username}@reelhouse.test`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Birthdate").fill(opts.birthdate ?? "1994-03-21");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Set up your profile" })).toBeVisible();
  await page.getByLabel("Username").fill(opts.username);
  await page.getByRole("button", { name: "Finish" }).click();
  await expect(page.getByRole("heading", { name: `Welcome, @${opts.username}` })).toBeVisible();
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function helper(...args: string[]): Record<string, string> {
  const out = execFileSync(process.execPath, ["--import", "tsx", "e2e/social-helper.ts", ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...e2eEnv },
    encoding: "utf8",
    timeout: 300_000,
  });
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

export async function signIn(page: Page, login: string, password = PASSWORD): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email or username").fill(login);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/signin/);
}

export const test = base.extend<{ inviteCode: string }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies as a destructured first argument.
  inviteCode: async ({}, use) => {
    await use(takeInvite());
  },
});

export { ADMIN, expect };

/** Waits until React has hydrated the page (root.tsx sets `data-hydrated` on <html>). Use this
 * rather than "networkidle": a page holding the notifications event stream or streaming a video
 * may never go quiet, which hung the moderator spec for its whole timeout. */
export async function waitForHydration(page: Page): Promise<void> {
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
}
