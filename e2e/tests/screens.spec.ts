import path from "node:path";
import { ADMIN, expect, PASSWORD, test } from "./fixtures.ts";
import { gradientPng } from "./png.ts";

/**
 * Screenshots of every onboarding page and its error states, for reviewing the design by eye.
 * Runs only when SCREENSHOTS_DIR is set: SCREENSHOTS_DIR=/tmp/shots npm run -w e2e test -- screens
 */
const dir = process.env.SCREENSHOTS_DIR;
test.skip(!dir, "set SCREENSHOTS_DIR to take screenshots");

test("screenshots of every page", async ({ page, inviteCode }) => {
  await page.setViewportSize({ width: 1280, height: 860 });
  const shot = (name: string) =>
    page.screenshot({ path: path.join(dir!, `${name}.png`), fullPage: true });
  await page.goto("/");
  await shot("01-landing");
  await page.goto("/signin");
  await page.getByLabel("Email or username").fill("nobody");
  await page.getByLabel("Password").fill("wrong-password-here");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("don't match")).toBeVisible();
  await shot("02-signin-error");
  await page.goto("/waitlist");
  await shot("03-waitlist");
  await page.getByLabel("Email").fill("hopeful@reelhouse.test");
  await page.getByRole("button", { name: "Join the waitlist" }).click();
  await expect(page.getByText("You're on the list")).toBeVisible();
  await shot("04-waitlist-done");
  await page.goto("/join");
  await shot("05-join-invite");
  await page.getByLabel("Invite code").fill("NOPE0-NOPE0");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("We don't know that invite code")).toBeVisible();
  await shot("06-join-invite-error");
  await page.getByLabel("Invite code").fill(inviteCode);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await shot("07-join-account");
  await page.getByLabel("Email").fill("screens@reelhouse.test");
  await page.getByLabel("Password").fill("password123");
  await page.getByLabel("Birthdate").fill("1990-01-01");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("most commonly used")).toBeVisible();
  await shot("08-join-account-weak-password");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Set up your profile" })).toBeVisible();
  await shot("09-join-profile");
  await page.getByLabel("Username").fill("Admin");
  await page.getByRole("button", { name: "Finish" }).click();
  await expect(page.getByText("That username is taken")).toBeVisible();
  await shot("10-join-profile-taken");
  await page.getByLabel("Username").fill("screen.star");
  await page.getByLabel("Bio").fill("Storyboards, slow pans and synth soundtracks.");
  await page.getByLabel("Profile photo").setInputFiles({
    name: "notes.png",
    mimeType: "image/png",
    buffer: Buffer.from("these are my notes, not a photo\n"),
  });
  await page.getByRole("button", { name: "Finish" }).click();
  await expect(page.getByText("That file is not an image we can read")).toBeVisible();
  await shot("10b-join-profile-not-an-image");
  await page.getByLabel("Username").fill("screen.star");
  await page
    .getByLabel("Profile photo")
    .setInputFiles({ name: "me.png", mimeType: "image/png", buffer: gradientPng() });
  await page.getByRole("button", { name: "Finish" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, @screen.star" })).toBeVisible();
  await shot("11-home");
  await page.goto("/u/screen.star");
  await shot("12-profile-own");
  await page.goto("/no/such/page");
  await shot("13-not-found");
  await page.getByLabel("Account menu").click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "I have an invite code" })).toBeVisible();
  await page.goto("/signin");
  await page.getByLabel("Email or username").fill(ADMIN.username);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: `Welcome, @${ADMIN.username}` })).toBeVisible();
  await page.goto("/admin");
  await shot("14-admin");
  await page.goto("/u/admin");
  await shot("15-admin-profile-with-redeemed-code");
});
