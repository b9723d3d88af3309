import { hashKey } from "@reelhouse/shared/api/keys.server";
import { endpointSecret } from "@reelhouse/shared/api/webhooks.server";
import { testDatabaseUrl, testPool, uniq } from "@reelhouse/shared/testing/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAdmin } from "../../scripts/admin.ts";
import { onboardOverHttp } from "./fixtures.ts";
import { Client, startTestApp, type TestApp } from "./harness.ts";

/**
 * API keys end to end: created in Settings → API keys (shown once, stored as a sha256), used on
 * /v1 (last-used time appears), revoked (401 at once); the refusals (no name, no scope, a scope
 * above the person's role, a workspace or key that is not theirs) with nothing written; and
 * `npm run admin -- api-key create` printing a working key once.
 */

const pool = testPool();
let app: TestApp;
let owner: Client;
let viewer: Client;
let ownerName: string;
let viewerId: string;
let wsId: string;
let otherWsId: string;

async function userId(username: string): Promise<string> {
  const r = await pool.query<{ id: string }>("SELECT id FROM users WHERE username = $1", [
    username,
  ]);
  return r.rows[0]!.id;
}

async function workspace(ownerId: string, members: [string, string][] = []): Promise<string> {
  const ws = await pool.query<{ id: string }>(
    "INSERT INTO workspaces (name, created_by) VALUES ($1, $2) RETURNING id",
    [uniq("Studio "), ownerId],
  );
  for (const [id, role] of [[ownerId, "owner"] as [string, string], ...members])
    await pool.query("INSERT INTO workspace_members VALUES ($1, $2, $3)", [
      ws.rows[0]!.id,
      id,
      role,
    ]);
  return ws.rows[0]!.id;
}

async function keyCount(): Promise<number> {
  return (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM api_keys")).rows[0]!.n;
}

const v1 = (key: string) =>
  fetch(`${app.url}/v1/videos?limit=1`, { headers: { authorization: `Bearer ${key}` } });

/** The key shown once on the page after creating it. */
const shownKey = (html: string) => /value="(rh_sk_[A-Za-z0-9_-]+)"/.exec(html)?.[1];

beforeAll(async () => {
  process.env.DATABASE_URL = testDatabaseUrl();
  app = await startTestApp();
  owner = new Client(app.url);
  viewer = new Client(app.url);
  ownerName = (await onboardOverHttp(owner, pool)).username;
  const viewerName = (await onboardOverHttp(viewer, pool)).username;
  const ownerId = await userId(ownerName);
  viewerId = await userId(viewerName);
  wsId = await workspace(ownerId, [[viewerId, "viewer"]]);
  otherWsId = await workspace(await userId(viewerName));
  await owner.get("/settings/api");
  await viewer.get("/settings/api");
});

afterAll(async () => {
  await app?.close();
  await pool.end();
});

describe("Settings → API keys", () => {
  it("shows an empty state, then creates a key shown once, stored hashed, that works on /v1 and shows its last use", async () => {
    const empty = await owner.get("/settings/api");
    expect(empty.status).toBe(200);
    expect(empty.body).toContain("No API keys yet");

    const res = await owner.post("/settings/api", {
      intent: "create",
      name: "Render farm",
      workspaceId: wsId,
      scopes: "videos:read",
      rateLimitPerMinute: "30",
    });
    expect(res.status).toBe(201);
    const key = shownKey(res.body);
    expect(key).toBeDefined();
    expect(res.body).toContain("shown only this once");

    const row = await pool.query(
      "SELECT secret_hash, prefix, scopes, rate_limit_per_minute, last_used_at FROM api_keys WHERE workspace_id = $1",
      [wsId],
    );
    expect(row.rows[0]).toMatchObject({
      secret_hash: hashKey(key!),
      prefix: key!.slice(0, 12),
      scopes: ["videos:read"],
      rate_limit_per_minute: 30,
      last_used_at: null,
    });
    expect(JSON.stringify(row.rows[0])).not.toContain(key!.slice(12));

    expect((await v1(key!)).status).toBe(200);
    const page = await owner.get("/settings/api");
    expect(shownKey(page.body)).toBeUndefined();
    expect(page.body).not.toContain(key!);
    expect(page.body).toContain(key!.slice(0, 12));
    expect(page.body).toContain("Render farm");
    expect(page.body).not.toMatch(/<td>never<\/td>/);
  });

  it("an Idempotency-Key makes a retried create return the same video, not a second job", async () => {
    const res = await owner.post("/settings/api", {
      intent: "create",
      name: "Idempotent",
      workspaceId: wsId,
      scopes: "videos:write",
    });
    const key = shownKey(res.body)!;
    const create = (idem: string) =>
      fetch(`${app.url}/v1/videos`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          "idempotency-key": idem,
        },
        body: JSON.stringify({ prompt: "A tram at night", model: "test-pattern" }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { id: string } }));
    const idem = `stainless-node-retry-${uniq()}`;
    const first = await create(idem);
    expect(first.status).toBe(200);
    const again = await create(idem);
    expect(again.body.id).toBe(first.body.id);
    const other = await create(`${idem}-2`);
    expect(other.body.id).not.toBe(first.body.id);
    const jobs = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM api_videos WHERE id = ANY($1)",
      [[first.body.id, other.body.id]],
    );
    expect(jobs.rows[0]!.n).toBe(2);
  });

  it("revoking a key stops it at once; someone else cannot revoke it", async () => {
    const res = await owner.post("/settings/api", {
      intent: "create",
      name: "Short-lived",
      workspaceId: wsId,
      scopes: "videos:read",
    });
    const key = shownKey(res.body)!;
    expect((await v1(key)).status).toBe(200);
    const id = (
      await pool.query<{ id: string }>("SELECT id FROM api_keys WHERE secret_hash = $1", [
        hashKey(key),
      ])
    ).rows[0]!.id;
    const stranger = await viewer.post("/settings/api", { intent: "revoke", keyId: id });
    expect(stranger.status).toBe(404);
    expect((await v1(key)).status).toBe(200);
    const revoked = await owner.post("/settings/api", { intent: "revoke", keyId: id });
    expect(revoked.status).toBe(200);
    const after = await v1(key);
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe(
      "invalid_api_key",
    );
    expect((await owner.get("/settings/api")).body).toContain("revoked");
  });

  it("refuses a key without a name, without scopes, with a scope above the role, or for a workspace that is not theirs — writing nothing", async () => {
    const before = await keyCount();
    const noName = await owner.post("/settings/api", {
      intent: "create",
      name: " ",
      workspaceId: wsId,
      scopes: "videos:read",
    });
    expect(noName.status).toBe(400);
    expect(noName.body).toContain("Give the key a name");
    const noScope = await owner.post("/settings/api", {
      intent: "create",
      name: "x",
      workspaceId: wsId,
    });
    expect(noScope.status).toBe(400);
    expect(noScope.body).toContain("Choose at least one scope");
    // A viewer may make read keys, not write keys.
    const tooStrong = await viewer.post("/settings/api", {
      intent: "create",
      name: "x",
      workspaceId: wsId,
      scopes: "videos:write",
    });
    expect(tooStrong.status).toBe(403);
    expect(tooStrong.body).toContain("As a viewer of this workspace you cannot grant videos:write");
    const notTheirs = await owner.post("/settings/api", {
      intent: "create",
      name: "x",
      workspaceId: otherWsId,
      scopes: "videos:read",
    });
    expect(notTheirs.status).toBe(404);
    const badLimit = await owner.post("/settings/api", {
      intent: "create",
      name: "x",
      workspaceId: wsId,
      scopes: "videos:read",
      rateLimitPerMinute: "0",
    });
    expect(badLimit.status).toBe(400);
    expect(await keyCount()).toBe(before);
  });

  it("a key stops working when its owner leaves the workspace", async () => {
    const res = await viewer.post("/settings/api", {
      intent: "create",
      name: "Viewer read",
      workspaceId: wsId,
      scopes: "videos:read",
    });
    const key = shownKey(res.body)!;
    expect((await v1(key)).status).toBe(200);
    await pool.query(
      "DELETE FROM workspace_members WHERE workspace_id = $1 AND user_id = (SELECT user_id FROM api_keys WHERE secret_hash = $2)",
      [wsId, hashKey(key)],
    );
    expect((await v1(key)).status).toBe(401);
  });

  it("signed out, the page sends you to sign in", async () => {
    const res = await new Client(app.url).get("/settings/api");
    expect(res.status).toBe(302);
    expect(res.headers.location).toContain("/signin");
  });
});

describe("npm run admin -- api-key", () => {
  it("create prints a working key once; list shows its prefix, not the key; refusals exit with a message", async () => {
    const out = await runAdmin(testDatabaseUrl(), [
      "api-key",
      "create",
      "--username",
      ownerName,
      "--name",
      "Ops script",
    ]);
    expect(out).toContain("shown only this once");
    const key = /(rh_sk_[A-Za-z0-9_-]+)/.exec(out)![1]!;
    expect((await v1(key)).status).toBe(200);
    const list = await runAdmin(testDatabaseUrl(), ["api-key", "list", "--username", ownerName]);
    expect(list).toContain("Ops script");
    expect(list).toContain(key.slice(0, 12));
    expect(list).not.toContain(key);
    await expect(
      runAdmin(testDatabaseUrl(), ["api-key", "create", "--username", "nobody-here-xyz"]),
    ).rejects.toThrow(/No user/);
    await expect(
      runAdmin(testDatabaseUrl(), [
        "api-key",
        "create",
        "--username",
        ownerName,
        "--workspace",
        otherWsId,
      ]),
    ).rejects.toThrow(/No workspace/);
  });
});

describe("Settings → Webhooks", () => {
  it("adds an endpoint and shows its signing secret; refuses a bad URL, no events, and a viewer; the delivery log lists attempts", async () => {
    // (The test above removed the viewer; a viewer again here.)
    await pool.query(
      "INSERT INTO workspace_members VALUES ($1, $2, 'viewer') ON CONFLICT DO NOTHING",
      [wsId, viewerId],
    );
    const empty = await owner.get("/settings/webhooks");
    expect(empty.status).toBe(200);
    expect(empty.body).toContain("No deliveries yet");
    const before = (
      await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_endpoints")
    ).rows[0]!.n;
    const bad = await owner.post("/settings/webhooks", {
      intent: "create",
      url: "ftp://example.com/x",
      workspaceId: wsId,
      events: "video.completed",
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("must start with https:// or http://");
    const noEvents = await owner.post("/settings/webhooks", {
      intent: "create",
      url: "https://example.com/hooks",
      workspaceId: wsId,
    });
    expect(noEvents.status).toBe(400);
    expect(noEvents.body).toContain("Choose at least one event");
    const asViewer = await viewer.post("/settings/webhooks", {
      intent: "create",
      url: "https://example.com/hooks",
      workspaceId: wsId,
      events: "video.completed",
    });
    expect(asViewer.status).toBe(403);
    expect(
      (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_endpoints")).rows[0]!
        .n,
    ).toBe(before);

    const ok = await owner.post("/settings/webhooks", {
      intent: "create",
      url: "https://example.com/hooks/reelhouse",
      workspaceId: wsId,
      events: "video.completed",
    });
    expect(ok.status).toBe(201);
    const secret = /value="(whsec_[A-Za-z0-9+/=]+)"/.exec(ok.body)?.[1];
    expect(secret).toBeDefined();
    const endpoint = await pool.query<{
      id: string;
      secret: string | null;
      secret_sealed: string;
      events: string[];
    }>("SELECT id, secret, secret_sealed, events FROM webhook_endpoints WHERE workspace_id = $1", [
      wsId,
    ]);
    // Sealed at rest: no plaintext column, and the sealed text does not contain the secret.
    expect(endpoint.rows[0]).toMatchObject({ secret: null, events: ["video.completed"] });
    expect(endpoint.rows[0]!.secret_sealed).not.toContain(secret!.slice(6));
    expect(await endpointSecret(endpoint.rows[0]!)).toBe(secret);
    await pool.query(
      `INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, video_id, payload, attempts, last_status_code, last_error)
       VALUES ($1, 'evt_log', 'video.completed', 'video_logged', '{}', 3, 503, 'The endpoint answered 503.')`,
      [endpoint.rows[0]!.id],
    );
    const page = await owner.get("/settings/webhooks");
    expect(page.body).toContain("https://example.com/hooks/reelhouse");
    expect(page.body).toContain("video_logged");
    expect(page.body).toContain("The endpoint answered 503.");
    // Viewers do not see the workspace's endpoints or deliveries.
    expect((await viewer.get("/settings/webhooks")).body).not.toContain("video_logged");
  });
});
