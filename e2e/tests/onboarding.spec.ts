import { expect, PASSWORD, test } from "./fixtures.ts";

test("a new person opens the app, redeems an invite code, enters a birthdate, picks a username and lands on the home page", async ({
  page,
  inviteCode,
}) => {
  const username = `newcomer_${Date.now().toString(36)}`;
  // The CSP must let the app's own (nonce'd) scripts run: any refusal shows up in the console.
  const cspErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text()))
      cspErrors.push(m.text());
  });

  await page.goto("/");
  await expect(page.getByRole("heading", { name: /Short videos/ })).toBeVisible();
  await page.getByRole("link", { name: "I have an invite code" }).click();

  // Step 1: invite code (typed in lower case, without the dash: it is normalised).
  await expect(page.getByRole("heading", { name: "Enter your invite code" })).toBeVisible();
  await page.getByLabel("Invite code").fill(inviteCode.replace("-", "").toLowerCase());
  await page.getByRole("button", { name: "Continue" }).click();

  // Step 2: account and birthdate.
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await expect(page.getByText(inviteCode)).toBeVisible();
  await page.getByLabel("Email").fill(`${username}@reelhouse.test`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Birthdate").fill("2001-09-14");
  await page.getByRole("button", { name: "Create account" }).click();

  // Step 3: username (and an optional bio).
  await expect(page.getByRole("heading", { name: "Set up your profile" })).toBeVisible();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Bio").fill("Here to make tiny films.");
  await page.getByRole("button", { name: "Finish" }).click();

  // Home.
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { name: `Welcome, @${username}` })).toBeVisible();
  await expect(page.getByRole("link", { name: "Create your first video" })).toBeVisible();
  await expect(page.getByLabel("Account menu")).toBeVisible();

  // Their profile (from the account menu) shows the bio and four invite codes of their own.
  await page.getByLabel("Account menu").click();
  await page.getByRole("menuitem", { name: "Your profile" }).click();
  await expect(page.getByRole("heading", { name: `@${username}` })).toBeVisible();
  await expect(page.getByText("Here to make tiny films.")).toBeVisible();
  await expect(page.locator(".invite")).toHaveCount(4);

  // The app hydrated (client-side navigation, not full page loads) and nothing was blocked.
  expect(await page.evaluate(() => "__reactRouterRouteModules" in globalThis)).toBe(true);
  expect(cspErrors).toEqual([]);
});

test("a refused step explains itself: an unknown invite code and an under-13 birthdate", async ({
  page,
  inviteCode,
}) => {
  await page.goto("/join");
  await page.getByLabel("Invite code").fill("NOPE0-NOPE0");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(
    page.getByText("We don't know that invite code. Check it and try again."),
  ).toBeVisible();

  await page.getByLabel("Invite code").fill(inviteCode);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Email").fill(`kid_${Date.now().toString(36)}@reelhouse.test`);
  await page.getByLabel("Password").fill(PASSWORD);
  const tenYearsAgo = new Date();
  tenYearsAgo.setUTCFullYear(tenYearsAgo.getUTCFullYear() - 10);
  await page.getByLabel("Birthdate").fill(tenYearsAgo.toISOString().slice(0, 10));
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("You must be at least 13 years old to use Reelhouse.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
});
