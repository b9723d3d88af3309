import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "@playwright/test";
import { e2eEnv } from "../playwright.config.ts";
import { ADMIN, expect, PASSWORD, test, waitForHydration } from "./fixtures.ts";

/**
 * Issue 17 in the browser: forgot-password end to end with the mail read from the admin outbox
 * (no SMTP here, so the outbox is where mail waits); a waitlisted person gets their code by mail
 * and joins with it; an administrator makes someone a moderator on the admin page and that
 * moderator decides a report. Members come from e2e/social-helper.ts (the admin's four invite
 * codes are taken by other specs).
 */
// Several browsers and a dozen page loads each: more than the default minute on a busy machine.
test.describe.configure({ timeout: 240_000 });

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

async function adminPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, ADMIN.username, ADMIN.password);
  return page;
}

/** The body of the newest outbox mail to `to`, read on the admin page like an administrator would. */
async function readOutbox(admin: Page, to: string, subject: string): Promise<string> {
  await admin.goto("/admin");
  const mail = admin
    .locator(".outbox li")
    .filter({ hasText: `to ${to}` })
    .filter({ hasText: subject });
  await expect(mail.first()).toBeVisible();
  await mail.first().locator("summary").click();
  return (await mail.first().locator("pre.outbox-body").textContent()) ?? "";
}

test("forgot password: the mail's link sets a new password and the old one stops working", async ({
  page,
  browser,
}) => {
  const username = `reset_${Date.now().toString(36)}`;
  helper("user", username);
  const email = `${username}@reelhouse.test`;

  await page.goto("/signin");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByText(`If an account uses ${email}`)).toBeVisible();

  const admin = await adminPage(browser);
  const body = await readOutbox(admin, email, "Reset your Reelhouse password");
  const link = /https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]{43}/.exec(body)?.[0];
  expect(link).toBeTruthy();

  await page.goto(new URL(link!).pathname);
  const fresh = "e2e-new-lantern-harbor-9";
  await page.getByLabel("New password", { exact: true }).fill(fresh);
  await page.getByLabel("New password again").fill(fresh);
  await page.getByRole("button", { name: "Save and sign in" }).click();
  await expect(page.getByRole("heading", { name: `Welcome, @${username}` })).toBeVisible();

  // The link was single-use.
  await page.goto(new URL(link!).pathname);
  await expect(page.getByRole("heading", { name: "This link no longer works" })).toBeVisible();

  // Old password refused, new one works.
  const other = await (await browser.newContext()).newPage();
  await other.goto("/signin");
  await other.getByLabel("Email or username").fill(username);
  await other.getByLabel("Password").fill(PASSWORD);
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other.getByText("don't match")).toBeVisible();
  await signIn(other, username, fresh);
});

test("a waitlisted person receives their invite code by mail and joins with it", async ({
  page,
  browser,
}) => {
  const email = `wait_${Date.now().toString(36)}@reelhouse.test`;
  await page.goto("/waitlist");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: /waitlist/i }).click();

  const admin = await adminPage(browser);
  await admin.goto("/admin");
  await admin
    .getByRole("row")
    .filter({ hasText: email })
    .getByRole("button", { name: "Accept" })
    .click();
  await expect(admin.getByText(`Accepted ${email}`)).toBeVisible();
  const body = await readOutbox(admin, email, "Your Reelhouse invite code");
  const code = /[A-Z0-9]{5}-[A-Z0-9]{5}/.exec(body)?.[0];
  expect(code).toBeTruthy();

  const username = `waited_${Date.now().toString(36)}`.slice(0, 30);
  await page.goto("/join");
  await page.getByLabel("Invite code").fill(code!);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Birthdate").fill("1992-02-02");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByLabel("Username").fill(username);
  await page.getByRole("button", { name: "Finish" }).click();
  await expect(page.getByRole("heading", { name: `Welcome, @${username}` })).toBeVisible();
});

test("an administrator makes a member a moderator on the admin page; the moderator decides a report", async ({
  page,
  browser,
}) => {
  test.setTimeout(300_000);
  const stamp = Date.now().toString(36);
  const modName = `mod_${stamp}`;
  const authorName = `author_${stamp}`;
  const fanName = `fan_${stamp}`;
  for (const u of [modName, authorName, fanName]) helper("user", u);
  const { postId } = helper("post", authorName, "A take to report");

  // A viewer reports the post; it lands in the queue.
  const reporter = await (await browser.newContext()).newPage();
  await signIn(reporter, fanName, PASSWORD);
  await reporter.goto(`/p/${postId}`);
  // The report form is a fetcher: wait for the page to hydrate before using it.
  await waitForHydration(reporter);
  await reporter.getByText("Report video").click();
  await reporter.getByLabel("Reason").selectOption("spam");
  await reporter.getByRole("button", { name: "Send report" }).click();
  await expect(reporter.getByText("a moderator will review it")).toBeVisible();

  await signIn(page, modName, PASSWORD);
  await page.getByLabel("Account menu").click();
  await expect(page.getByRole("menuitem", { name: "Settings" })).toBeVisible();
  await expect(page.getByRole("menuitem", { name: "Moderation" })).toHaveCount(0);

  const admin = await adminPage(browser);
  await admin.goto("/admin");
  await admin.getByLabel("Username", { exact: true }).fill(modName);
  await admin.getByLabel("Role", { exact: true }).selectOption("moderator");
  await admin.getByRole("button", { name: "Grant" }).click();
  await expect(admin.getByText(`@${modName} is now a moderator.`)).toBeVisible();
  await admin.getByText(/Role log/).click();
  await expect(
    admin.getByText(`@${ADMIN.username} granted moderator to @${modName}`),
  ).toBeVisible();

  await page.goto("/");
  await page.getByLabel("Account menu").click();
  await page.getByRole("menuitem", { name: "Moderation" }).click();
  await waitForHydration(page);
  const item = page.getByTestId("mod-item").filter({ hasText: "A take to report" });
  await expect(item).toBeVisible();
  await item.getByLabel("Reason for the decision").fill("Spam: reposted ad");
  await item.getByRole("button", { name: "Remove" }).click();
  await expect(page.getByTestId("mod-item").filter({ hasText: "A take to report" })).toHaveCount(0);
});
