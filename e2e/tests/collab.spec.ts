import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { createSession } from "@reelhouse/shared/accounts/sessions.server";
import { createAccount } from "@reelhouse/shared/accounts/users.server";
import { withDatabase } from "@reelhouse/shared/db/cli-database.server";
import { createPool } from "@reelhouse/shared/db/pool.server";
import { createProject } from "@reelhouse/shared/workspaces/projects.server";
import {
  acceptInvite,
  createWorkspace,
  inviteByUsername,
} from "@reelhouse/shared/workspaces/workspaces.server";

/**
 * Two people in one workspace edit the same project in two browser contexts: what one types in
 * the prompt and how they reorder the storyboard shows up for the other within a second.
 *
 * Login fixture: the users, their workspace and project are created through the same domain
 * functions the web app uses, against the database of the running app (withDatabase reaches the
 * launcher's Postgres from DATA_DIR/PG_PORT or DATABASE_URL), and each context gets a real session
 * cookie.
 */

// Under e2e/playwright.config.ts the launcher runs with the E2E_* data dir and Postgres port; point
// this process's env() at the same database before anything reads it.
if (process.env.E2E_DATA_DIR) {
  process.env.DATA_DIR = process.env.E2E_DATA_DIR;
  process.env.PG_PORT = process.env.E2E_PG_PORT ?? "54400";
}

type Person = { id: string; username: string; token: string };
let alice: Person;
let bob: Person;
let carol: Person;
let projectId: string;

const suffix = Date.now().toString(36).slice(-5) + Math.random().toString(36).slice(2, 5);

async function makePerson(pool: ReturnType<typeof createPool>, name: string): Promise<Person> {
  const username = `${name}_${suffix}`;
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
  const { token } = await createSession(pool, user.id, "playwright");
  return { id: user.id, username, token };
}

test.beforeAll(async () => {
  await withDatabase(async (url) => {
    const pool = createPool(url, 2);
    try {
      alice = await makePerson(pool, "alice");
      bob = await makePerson(pool, "bob");
      carol = await makePerson(pool, "carol");
      const ws = await createWorkspace(pool, alice.id, `Studio ${suffix}`);
      const invite = await inviteByUsername(pool, alice.id, ws.id, bob.username, "editor");
      await acceptInvite(pool, bob.id, invite.id);
      const invite2 = await inviteByUsername(pool, alice.id, ws.id, carol.username, "commenter");
      await acceptInvite(pool, carol.id, invite2.id);
      projectId = (await createProject(pool, alice.id, ws.id, "Launch teaser")).id;
    } finally {
      await pool.end();
    }
  });
});

async function mentionNotifications(userId: string): Promise<Record<string, unknown>[]> {
  return withDatabase(async (url) => {
    const pool = createPool(url, 1);
    try {
      const r = await pool.query<{ payload: Record<string, unknown> }>(
        "SELECT payload FROM notifications WHERE user_id = $1 AND kind = 'project.mention'",
        [userId],
      );
      return r.rows.map((x) => x.payload);
    } finally {
      await pool.end();
    }
  });
}

async function signedIn(context: BrowserContext, person: Person, baseURL: string) {
  await context.addCookies([{ name: "rh_session", value: person.token, url: baseURL }]);
}

async function openProject(page: Page) {
  await page.goto(`/projects/${projectId}`);
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-status", "saved", {
    timeout: 15_000,
  });
}

/** The prompts of the storyboard's shots, in order. */
async function shotPrompts(page: Page): Promise<string[]> {
  return page
    .getByTestId("shot")
    .evaluateAll((cards) =>
      cards.map((c) => (c.querySelector("textarea") as { value: string } | null)?.value ?? ""),
    );
}

test("two people see each other's prompt typing and shot reorders within a second", async ({
  browser,
  baseURL,
}) => {
  const base = baseURL ?? "http://localhost:3300";
  const ctxA = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 1600 } });
  const ctxB = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 1600 } });
  await signedIn(ctxA, alice, base);
  await signedIn(ctxB, bob, base);
  const a = await ctxA.newPage();
  const b = await ctxB.newPage();
  await openProject(a);
  await openProject(b);

  // Both are present: each page shows two avatars.
  await expect(a.getByTestId("presence").locator(".rh-avatar")).toHaveCount(2, { timeout: 5_000 });
  await expect(b.getByTestId("presence").locator(".rh-avatar")).toHaveCount(2, { timeout: 5_000 });

  // Alice builds a storyboard of three shots; Bob sees each one.
  for (const name of ["Opening", "Middle", "Ending"]) {
    await a
      .getByRole("button", { name: /add (the first )?shot/i })
      .first()
      .click();
    await a.getByTestId("shot").last().locator("textarea").first().fill(name);
  }
  await expect
    .poll(() => shotPrompts(b), { timeout: 2_000 })
    .toEqual(["Opening", "Middle", "Ending"]);

  // Alice types in the prompt; Bob sees the words within a second of the last keystroke.
  const text = "A golden retriever puppy catching a frisbee in a sunlit garden";
  const editorA = a.getByTestId("prompt-editor");
  await editorA.click();
  await editorA.pressSequentially(text, { delay: 5 });
  const typedAt = Date.now();
  await expect(b.getByTestId("prompt-editor")).toContainText(text, { timeout: 1_000 });
  const promptLatency = Date.now() - typedAt;

  // Alice's live caret with her name shows in Bob's editor.
  await expect(b.locator(".collaboration-carets__label")).toContainText(alice.username, {
    timeout: 1_000,
  });

  // Alice moves the first shot down with the keyboard (Alt+↓); Bob sees the new order.
  await a.getByTestId("shot").first().focus();
  await a.keyboard.press("Alt+ArrowDown");
  const movedAt = Date.now();
  await expect
    .poll(() => shotPrompts(b), { timeout: 1_000, intervals: [25] })
    .toEqual(["Middle", "Opening", "Ending"]);
  const reorderLatency = Date.now() - movedAt;
  await expect.poll(() => shotPrompts(a)).toEqual(["Middle", "Opening", "Ending"]);

  // Bob drags the last shot to the top; Alice sees it.
  const handles = b.locator(".rh-drag-handle");
  await handles.nth(2).dragTo(b.getByTestId("shot").first(), { targetPosition: { x: 40, y: 5 } });
  const draggedAt = Date.now();
  await expect
    .poll(() => shotPrompts(a), { timeout: 1_000, intervals: [25] })
    .toEqual(["Ending", "Middle", "Opening"]);
  const dragLatency = Date.now() - draggedAt;

  // The storyboard total is shared too (3 shots × 4 s default).
  await expect(b.getByTestId("storyboard-total")).toContainText("3 shots · 12s total");

  console.log(
    `[collab.spec] prompt visible after ${promptLatency} ms, keyboard reorder after ${reorderLatency} ms, drag reorder after ${dragLatency} ms`,
  );
  await ctxA.close();
  await ctxB.close();
});

test("edits made offline are kept, shown as offline, and merge with the other person's on reconnect", async ({
  browser,
  baseURL,
}) => {
  const base = baseURL ?? "http://localhost:3300";
  const ctxA = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 1400 } });
  const ctxB = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 1400 } });
  await signedIn(ctxA, alice, base);
  await signedIn(ctxB, bob, base);
  const a = await ctxA.newPage();
  const b = await ctxB.newPage();
  await openProject(a);
  await openProject(b);

  await ctxA.setOffline(true);
  await expect(a.getByTestId("sync-status")).toHaveAttribute("data-status", "offline");
  const editorA = a.getByTestId("prompt-editor");
  await editorA.click();
  await a.keyboard.press("Control+End");
  await a.keyboard.type(" Alice wrote this offline.");
  await a
    .getByRole("button", { name: /add (the first )?shot/i })
    .first()
    .click();
  await a.getByTestId("shot").last().locator("textarea").first().fill("Offline shot");

  // Meanwhile Bob, online, edits too; Alice cannot see it yet.
  const editorB = b.getByTestId("prompt-editor");
  await editorB.click();
  await b.keyboard.press("Control+Home");
  await b.keyboard.type("Bob online. ");
  await expect(b.getByTestId("sync-status")).toHaveAttribute("data-status", "saved");
  await expect(editorA).not.toContainText("Bob online.");

  // Reconnect: both edits end up on both sides, and Alice's indicator says saved.
  await ctxA.setOffline(false);
  await expect(a.getByTestId("sync-status")).toHaveAttribute("data-status", "saved", {
    timeout: 15_000,
  });
  for (const page of [a, b]) {
    await expect(page.getByTestId("prompt-editor")).toContainText("Bob online.");
    await expect(page.getByTestId("prompt-editor")).toContainText("Alice wrote this offline.");
    await expect.poll(() => shotPrompts(page)).toContain("Offline shot");
  }
  await ctxA.close();
  await ctxB.close();
});

test("a commenter sees read-only prompt and storyboard but can comment on a shot", async ({
  browser,
  baseURL,
}) => {
  const base = baseURL ?? "http://localhost:3300";
  const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 1400 } });
  await signedIn(ctx, carol, base);
  const c = await ctx.newPage();
  await openProject(c);
  await expect(c.getByText(/You are a commenter here/)).toBeVisible();
  await expect(c.getByTestId("prompt-editor")).toHaveAttribute("contenteditable", "false");
  await expect(c.getByRole("button", { name: /add shot/i })).toHaveCount(0);
  await expect(c.getByTestId("shot").first().locator("textarea").first()).toHaveAttribute(
    "readonly",
    "",
  );
  await c.getByTestId("shot").first().getByTitle("Comment on this shot").click();
  await c.getByLabel("New comment").fill(`Looks great @${alice.username}`);
  await c.getByRole("button", { name: "Comment", exact: true }).click();
  const thread = c.getByTestId("thread").filter({ hasText: "Looks great" });
  await expect(thread).toContainText("Shot 1");
  await expect(thread.locator(".rh-mention")).toHaveText(`@${alice.username}`);
  // Alice, whom Carol mentioned, gets a notification pointing at the project.
  await expect
    .poll(() => mentionNotifications(alice.id), { timeout: 10_000 })
    .toEqual([expect.objectContaining({ projectId, actorId: carol.id })]);
  await ctx.close();
});

test("undo in the storyboard brings back your deleted shot, for everyone", async ({
  browser,
  baseURL,
}) => {
  const base = baseURL ?? "http://localhost:3300";
  const ctxA = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 1400 } });
  const ctxB = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 1400 } });
  await signedIn(ctxA, alice, base);
  await signedIn(ctxB, bob, base);
  const a = await ctxA.newPage();
  const b = await ctxB.newPage();
  await openProject(a);
  await openProject(b);
  a.on("dialog", (d) => void d.accept());
  await a
    .getByRole("button", { name: /add (the first )?shot/i })
    .first()
    .click();
  await a.getByTestId("shot").last().locator("textarea").first().fill("Keep me");
  await expect.poll(() => shotPrompts(b)).toContain("Keep me");
  const card = a.getByTestId("shot").filter({ has: a.locator("textarea", { hasText: "Keep me" }) });
  await card.getByRole("button", { name: "Delete" }).click();
  await expect.poll(() => shotPrompts(b)).not.toContain("Keep me");
  await a.getByRole("button", { name: "Undo", exact: true }).click();
  await expect.poll(() => shotPrompts(a)).toContain("Keep me");
  await expect.poll(() => shotPrompts(b), { timeout: 1_000 }).toContain("Keep me");
  await ctxA.close();
  await ctxB.close();
});

test("an owner shares a view link that a guest opens without an account, and revoking it cuts the guest off; history and shortcuts open and close", async ({
  browser,
  baseURL,
}) => {
  const base = baseURL ?? "http://localhost:3300";
  const ctxA = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 1200 } });
  await signedIn(ctxA, alice, base);
  const a = await ctxA.newPage();
  await openProject(a);
  await a
    .getByRole("button", { name: /add (the first )?shot/i })
    .first()
    .click();
  await a.getByTestId("shot").last().locator("textarea").first().fill("Guest preview shot");

  // Keyboard shortcuts: the "?" button opens the dialog, Escape closes it.
  await a.getByRole("button", { name: "Keyboard shortcuts" }).click();
  const shortcuts = a.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(shortcuts).toBeVisible();
  await a.keyboard.press("Escape");
  await expect(shortcuts).toBeHidden();

  // Version history opens, and its close button closes it.
  await a.getByRole("button", { name: "History", exact: true }).click();
  const history = a.getByRole("dialog", { name: "Version history" });
  await expect(history).toBeVisible();
  await history.getByRole("button", { name: "Close" }).click();
  await expect(history).toBeHidden();

  // Share: create a view-only link; the URL is shown once.
  await a.getByRole("button", { name: "Share", exact: true }).click();
  const share = a.getByRole("dialog", { name: "Share for review" });
  await expect(share).toBeVisible();
  await share.locator('select[name="rights"]').selectOption("view");
  await share.getByRole("button", { name: "Create link" }).click();
  const link = await share.getByLabel("Share link").inputValue();
  expect(link).toMatch(/\/s\/[A-Za-z0-9_-]+$/);

  // A guest with no account opens it and sees the storyboard.
  const guestCtx = await browser.newContext({ baseURL: base });
  const guest = await guestCtx.newPage();
  await guest.goto(link);
  // (The project is shared with the tests above, so other shots may be there too.)
  await expect(guest.getByTestId("shot").filter({ hasText: "Guest preview shot" })).toBeVisible({
    timeout: 10_000,
  });

  // The owner revokes it; the guest's page is cut off, and reopening the link is refused.
  await share.getByRole("button", { name: "Revoke" }).first().click();
  await expect(guest.getByTestId("guest-denied")).toBeVisible({ timeout: 10_000 });
  const again = await guest.goto(link);
  expect(again?.status()).toBe(404);
  await guestCtx.close();
  await ctxA.close();
});
