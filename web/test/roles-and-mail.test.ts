import { joinWaitlist } from "@reelhouse/shared/accounts/waitlist.server";
import { listOutbox } from "@reelhouse/shared/mail/mailer.server";
import { asTestUser, makePost } from "@reelhouse/shared/social/test-fixtures";
import { testDatabaseUrl, testPool, uniq } from "@reelhouse/shared/testing/db";
import { createWorkspace } from "@reelhouse/shared/workspaces/workspaces.server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAdmin } from "../../scripts/admin.ts";
import { onboardOverHttp } from "./fixtures.ts";
import { Client, startTestApp, type TestApp, text } from "./harness.ts";

/** Issue 17: administrators grant roles (UI and command line, logged); mail for waitlist and invites. */
const pool = testPool();
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
  await pool.end();
});

async function member(opts: { admin?: boolean } = {}) {
  const client = new Client(app.url);
  const m = await onboardOverHttp(client, pool);
  const id = (await pool.query("SELECT id FROM users WHERE username = $1", [m.username])).rows[0]
    .id;
  if (opts.admin) await pool.query("UPDATE users SET is_admin = true WHERE id = $1", [id]);
  await client.get("/");
  return { client, id, ...m };
}

const flags = async (id: string) =>
  (await pool.query("SELECT is_moderator, is_admin FROM users WHERE id = $1", [id])).rows[0];
const changesOf = async (id: string) =>
  (
    await pool.query(
      "SELECT actor_id, role, granted FROM role_changes WHERE target_id = $1 ORDER BY id",
      [id],
    )
  ).rows;

describe("roles", () => {
  it("an administrator grants moderator on the admin page; it is logged; the moderator gets the queue in the header and decides a report", async () => {
    const admin = await member({ admin: true });
    const mod = await member();
    const before = await mod.client.get("/moderation");
    expect(before.status).toBe(403);
    expect(text(before.body)).toContain("An administrator can grant you the role");
    expect(text((await mod.client.get("/")).body)).not.toContain("Moderation");

    await admin.client.get("/admin");
    const res = await admin.client.post("/admin", {
      intent: "grant",
      username: `@${mod.username}`,
      role: "moderator",
    });
    expect(res.status).toBe(200);
    expect(text(res.body)).toContain(`@${mod.username} is now a moderator.`);
    expect(await flags(mod.id)).toEqual({ is_moderator: true, is_admin: false });
    expect(await changesOf(mod.id)).toEqual([
      { actor_id: admin.id, role: "moderator", granted: true },
    ]);
    const adminPage = text((await admin.client.get("/admin")).body);
    expect(adminPage).toContain(`@${admin.username} granted moderator to @${mod.username}`);

    const home = await mod.client.get("/");
    expect(home.body).toMatch(/href="\/moderation"[^>]*>Moderation</);
    const postId = await makePost(pool, asTestUser(admin.id, admin.username));
    await pool.query(
      "INSERT INTO reports (reporter_id, target_kind, target_id, reason) VALUES ($1, 'post', $2, 'spam')",
      [admin.id, postId],
    );
    const queue = await mod.client.get("/moderation");
    expect(queue.status).toBe(200);
    const decided = await mod.client.post("/moderation", {
      targetKind: "post",
      targetId: postId,
      action: "remove",
      reason: "spam, reviewed",
    });
    expect(decided.status).toBe(200);
    const log = await pool.query(
      "SELECT moderator_id, action, reason FROM moderation_decisions WHERE target_id = $1",
      [postId],
    );
    expect(log.rows).toEqual([
      { moderator_id: mod.id, action: "remove", reason: "spam, reviewed" },
    ]);

    // Removing the role is logged too, and the queue closes again.
    await admin.client.get("/admin");
    await admin.client.post("/admin", {
      intent: "revoke",
      username: mod.username,
      role: "moderator",
    });
    expect(await flags(mod.id)).toEqual({ is_moderator: false, is_admin: false });
    expect((await changesOf(mod.id)).map((c) => c.granted)).toEqual([true, false]);
    expect((await mod.client.get("/moderation")).status).toBe(403);
  });

  it("a member cannot grant roles: 403 and nothing written", async () => {
    const a = await member();
    const b = await member();
    await a.client.get("/");
    const res = await a.client.post("/admin", {
      intent: "grant",
      username: b.username,
      role: "admin",
    });
    expect(res.status).toBe(403);
    expect(await flags(b.id)).toEqual({ is_moderator: false, is_admin: false });
    expect(await changesOf(b.id)).toEqual([]);
  });

  it("an unknown user or role is a clear refusal, and the last administrator cannot be removed", async () => {
    const admin = await member({ admin: true });
    await admin.client.get("/admin");
    const unknown = await admin.client.post("/admin", {
      intent: "grant",
      username: uniq("ghost").slice(0, 20),
      role: "moderator",
    });
    expect(unknown.status).toBe(404);
    const badRole = await admin.client.post("/admin", {
      intent: "grant",
      username: admin.username,
      role: "superuser",
    });
    expect(badRole.status).toBe(400);

    // Make this admin the only one for the check (other tests' admins are demoted for a moment).
    const others = await pool.query<{ id: string }>(
      "UPDATE users SET is_admin = false WHERE is_admin AND id <> $1 RETURNING id",
      [admin.id],
    );
    try {
      const last = await admin.client.post("/admin", {
        intent: "revoke",
        username: admin.username,
        role: "admin",
      });
      expect(last.status).toBe(403);
      expect(text(last.body)).toContain("last administrator");
      expect((await flags(admin.id)).is_admin).toBe(true);
    } finally {
      await pool.query("UPDATE users SET is_admin = true WHERE id = ANY($1::uuid[])", [
        others.rows.map((r) => r.id),
      ]);
    }
  });

  it("npm run admin -- role grant|revoke changes the role, logged with no actor", async () => {
    const m = await member();
    const out = await runAdmin(testDatabaseUrl(), [
      "role",
      "grant",
      "moderator",
      "--username",
      m.username,
    ]);
    expect(out).toBe(`@${m.username} is now a moderator.`);
    expect(
      await runAdmin(testDatabaseUrl(), ["role", "grant", "moderator", "--username", m.username]),
    ).toBe(`@${m.username} already is a moderator.`);
    await runAdmin(testDatabaseUrl(), ["role", "revoke", "moderator", "--username", m.username]);
    expect(await changesOf(m.id)).toEqual([
      { actor_id: null, role: "moderator", granted: true },
      { actor_id: null, role: "moderator", granted: false },
    ]);
    await expect(
      runAdmin(testDatabaseUrl(), ["role", "grant", "owner", "--username", m.username]),
    ).rejects.toThrow("moderator or admin");
  });
});

describe("mail that is really sent", () => {
  it("accepting a waitlisted person mails them their invite code; the admin page and `admin outbox` show it", async () => {
    const admin = await member({ admin: true });
    const email = `${uniq("wait")}@example.com`;
    await joinWaitlist(pool, email);
    await admin.client.get("/admin");
    const res = await admin.client.post("/admin", { intent: "accept", email });
    expect(res.status).toBe(200);
    expect(text(res.body)).toMatch(/is in the outbox below/);
    const [mail] = await listOutbox(pool, { to: email });
    expect(mail).toMatchObject({
      kind: "waitlist-accepted",
      subject: "Your Reelhouse invite code",
    });
    const code = (await pool.query("SELECT invite_code FROM waitlist WHERE email = $1", [email]))
      .rows[0].invite_code as string;
    expect(mail!.text.replace("-", "")).toContain(code);
    expect(mail!.text).toContain(`${app.url}/join`);
    expect(text((await admin.client.get("/admin")).body)).toContain(`to ${email}`);
    const printed = await runAdmin(testDatabaseUrl(), ["outbox", "--to", email]);
    expect(printed).toContain("Subject: Your Reelhouse invite code");
    expect(printed).toContain("not sent");

    // Accepting again mails nothing more.
    await admin.client.post("/admin", { intent: "accept", email });
    expect(await listOutbox(pool, { to: email })).toHaveLength(1);
  });

  it("a workspace invitation mails the invitee", async () => {
    const owner = await member();
    const invitee = await member();
    const { id: workspaceId } = await createWorkspace(pool, owner.id, "Agency");
    await owner.client.get(`/w/${workspaceId}/members`);
    const res = await owner.client.post(`/w/${workspaceId}/members`, {
      intent: "invite",
      username: invitee.username,
      role: "editor",
    });
    expect(res.status).toBeLessThan(400);
    const [mail] = await listOutbox(pool, { to: invitee.email });
    expect(mail).toMatchObject({ kind: "workspace-invite" });
    expect(mail!.subject).toContain(`@${owner.username} invited you`);
    expect(mail!.text).toContain("as editor");
  });
});
