import { testPool, uniq } from "@reelhouse/shared/testing/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboardOverHttp } from "./fixtures.ts";
import { Client, startTestApp, type TestApp } from "./harness.ts";

/** GET /projects/:id/explain: the plan the prompt checker shows, with the project's access rules. */

const pool = testPool();
let app: TestApp;
let member: Client;
let outsider: Client;
let projectId: string;

async function userId(username: string): Promise<string> {
  const r = await pool.query<{ id: string }>(
    "SELECT id FROM users WHERE lower(username) = lower($1)",
    [username],
  );
  return r.rows[0]!.id;
}

beforeAll(async () => {
  app = await startTestApp();
  member = new Client(app.url);
  outsider = new Client(app.url);
  const m = await onboardOverHttp(member, pool);
  await onboardOverHttp(outsider, pool);
  const ws = await pool.query<{ id: string }>(
    "INSERT INTO workspaces (name, created_by) VALUES ($1, $2) RETURNING id",
    [uniq("W"), await userId(m.username)],
  );
  await pool.query("INSERT INTO workspace_members VALUES ($1, $2, 'viewer')", [
    ws.rows[0]!.id,
    await userId(m.username),
  ]);
  const p = await pool.query<{ id: string }>(
    "INSERT INTO projects (workspace_id, title, created_by) VALUES ($1, 'Plans', $2) RETURNING id",
    [ws.rows[0]!.id, await userId(m.username)],
  );
  projectId = p.rows[0]!.id;
});

afterAll(async () => {
  await app?.close();
  await pool.end();
});

const ask = (c: Client, prompt: string | null) =>
  c.get(
    `/projects/${projectId}/explain${prompt === null ? "" : `?${new URLSearchParams({ prompt })}`}`,
  );

describe("the explain endpoint", () => {
  it("a project viewer gets the plan and its summary, naming what nothing could draw", async () => {
    const r = await ask(
      member,
      "a horse galloping across a field next to a zorblat, Van Gogh style",
    );
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body);
    expect(body.ok).toBe(true);
    expect(body.plan.subjects[0]).toMatchObject({ noun: "horse", art: "horse", motion: "gallop" });
    expect(body.plan.style).toBe("van-gogh");
    expect(body.summary.line).toContain("horse (galloping)");
    expect(body.summary.line).toContain("Style: Van Gogh");
    expect(body.summary.unplaced).toEqual(["zorblat"]);
  });

  it("refuses a missing and a too long prompt with 400 and a message", async () => {
    const none = await ask(member, null);
    expect(none.status).toBe(400);
    expect(JSON.parse(none.body)).toEqual({ ok: false, error: "Give the prompt to explain." });
    const long = await ask(member, "a dog ".repeat(800));
    expect(long.status).toBe(400);
    expect(JSON.parse(long.body).error).toContain("at most 4000 characters");
  });

  it("answers 404 to someone who cannot see the project", async () => {
    const r = await ask(outsider, "a dog");
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body).ok).toBe(false);
  });
});
