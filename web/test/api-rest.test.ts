/// <reference path="../../collab-server/src/ws.d.ts" />
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { type CollabServer, createCollabServer } from "@reelhouse/collab-server/src/server.ts";
import { acknowledged, type Client, connect } from "@reelhouse/collab-server/src/testing.ts";
import { createApiKey } from "@reelhouse/shared/api/keys.server";
import { listShots, promptFragment, promptPlainText } from "@reelhouse/shared/collab/schema";
import { verifyCollabToken } from "@reelhouse/shared/collab/token.server";
import { createPool, type Pool } from "@reelhouse/shared/db/pool.server";
import { testDatabaseUrl } from "@reelhouse/shared/testing/db";
import { createProject } from "@reelhouse/shared/workspaces/projects.server";
import { createWorkspace } from "@reelhouse/shared/workspaces/workspaces.server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type * as Y from "yjs";
import { facelessRecording } from "./fixtures.ts";
import { startTestApp, type TestApp } from "./harness.ts";
import { type Json, openApiWalk, type Route } from "./openapi-walk.ts";
import { apiCall, expectRefusal, json, seedOwner } from "./rest-client.ts";
import { privateDatabase, spawnWorker, type WorkerProcess, waitFor } from "./worker-process.ts";

/**
 * The REST API beyond videos (issue 15 item 4) and its acceptance: /v1/openapi.json validates as
 * OpenAPI 3.1 with swagger-parser, and EVERY path and method in it (the Videos API's too, whoever
 * adds them) is called on the real app (built web app, real Postgres in a private database, a real
 * worker rendering with ffmpeg, a real collab server over WebSocket): a request built from the
 * document's examples and schemas must answer the documented success status with a body that
 * validates (ajv) against the documented schema, and one documented error case per route must
 * answer as documented too. Then the access rules: another workspace's key sees 404 everywhere,
 * forged ids are 404, a missing scope is 403, bad bodies are 400, all in OpenAI's error shape; the
 * documents written over REST reach a live editor; publishing runs the app's checks.
 */

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const dir = mkdtempSync(path.join(os.tmpdir(), "rh-rest-"));
process.env.DATA_DIR = dir;
const SECRET = randomBytes(32).toString("base64url");
let pool: Pool;
let app: TestApp;
let worker: WorkerProcess;
let collab: CollabServer;
const clients: Client[] = [];

let userA: string;
let wsA: string;
let wsB: string;
let keyA: string;
let keyB: string;
/** A's own key for A's second workspace: A may see both, this key only the second. */
let keyA2: string;
let keyVideosOnly: string;
let keyWorkspaceRead: string;
let docProject: string;
let spareProject: string;
/** Videos (and their drafts): the walk's, one the walk deletes, one to publish, one to delete. */
const videos: Record<"main" | "deleted" | "publish" | "spare", string> = {} as never;
const drafts: Record<"main" | "publish" | "spare", string> = {} as never;
let apiProject: string;
/** A real MP4 (a disc swinging, no face) for the routes that take a video upload. */
let recording: Buffer;

const call = (key: string | null, method: string, p: string, body?: unknown) =>
  apiCall(app.url, key, method, p, body);
const seedMember = (tag: string) => seedOwner(pool, tag);

beforeAll(async () => {
  const databaseUrl = await privateDatabase(testDatabaseUrl(), "rest_");
  process.env.DATABASE_URL = databaseUrl;
  pool = createPool(databaseUrl, 4);
  const a = await seedMember("resta");
  const b = await seedMember("restb");
  userA = a.userId;
  wsA = a.workspaceId;
  wsB = b.workspaceId;
  keyA = (
    await createApiKey(pool, a.userId, a.workspaceId, { name: "CI", rateLimitPerMinute: 100_000 })
  ).key;
  keyB = (
    await createApiKey(pool, b.userId, b.workspaceId, {
      name: "Other team",
      rateLimitPerMinute: 100_000,
    })
  ).key;
  const wsA2 = await createWorkspace(pool, a.userId, "A's side studio");
  keyA2 = (
    await createApiKey(pool, a.userId, wsA2.id, { name: "Side", rateLimitPerMinute: 100_000 })
  ).key;
  keyVideosOnly = (
    await createApiKey(pool, a.userId, a.workspaceId, {
      name: "Videos only",
      scopes: ["videos:read", "videos:write"],
      rateLimitPerMinute: 100_000,
    })
  ).key;
  keyWorkspaceRead = (
    await createApiKey(pool, a.userId, a.workspaceId, {
      name: "Read",
      scopes: ["workspace:read"],
      rateLimitPerMinute: 100_000,
    })
  ).key;
  docProject = (await createProject(pool, a.userId, a.workspaceId, "Live documents")).id;
  spareProject = (await createProject(pool, a.userId, a.workspaceId, "To delete")).id;

  app = await startTestApp({ databaseUrl, authSecret: SECRET });
  collab = await createCollabServer({
    pool,
    secret: SECRET,
    port: 0,
    debounceMs: 200,
    maxDebounceMs: 1000,
    pollMs: 60_000,
    log: () => {},
  });
  worker = spawnWorker({ databaseUrl, dataDir: dir, workerId: "rest-worker" });
  await worker.ready;

  for (const name of ["main", "deleted", "publish", "spare"] as const) {
    const res = await call(keyA, "post", "/videos", {
      prompt: `A lighthouse at dusk, take ${name}`,
      model: "test-pattern",
      seconds: 4,
      size: "1280x720",
    });
    expect(res.status).toBe(200);
    videos[name] = (await json(res)).id;
  }
  for (const [name, id] of Object.entries(videos)) {
    const done = await waitFor(`${name} to render`, async () => {
      const v = await json(await call(keyA, "get", `/videos/${id}`));
      return v.status === "completed" || v.status === "failed" ? v : undefined;
    });
    expect(done.status, name).toBe("completed");
  }
  const rows = await pool.query<{ id: string; draft_id: string; project_id: string }>(
    `SELECT v.id, d.id AS draft_id, d.project_id FROM api_videos v JOIN drafts d USING (workflow_id)
      WHERE v.id = ANY($1)`,
    [Object.values(videos)],
  );
  const draftOf = (v: string) => rows.rows.find((r) => r.id === v)!.draft_id;
  drafts.main = draftOf(videos.main);
  drafts.publish = draftOf(videos.publish);
  drafts.spare = draftOf(videos.spare);
  apiProject = rows.rows[0]!.project_id;
  recording = await facelessRecording(dir);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await worker?.stop();
  await collab?.close();
  await app?.close();
  await pool?.end();
  rmSync(dir, { recursive: true, force: true });
});

describe("the OpenAPI document", () => {
  let doc: Json;
  let walk: ReturnType<typeof openApiWalk>;

  /** Made by the walk's createCharacter; until then a well-formed id nobody has. */
  let characterId = "char_000000000000000000000000";
  /** Ids in paths by parameter name; DELETE gets objects of its own, so nothing else loses them. */
  const pathIds = (method: string): Record<string, string> => ({
    workspace_id: wsA,
    project_id: method === "delete" ? spareProject : apiProject,
    draft_id: method === "delete" ? drafts.spare : drafts.main,
    video_id: method === "delete" ? videos.deleted : videos.main,
    character_id: characterId,
  });

  /**
   * Body fields that must name live objects (an example cannot know their ids). An operation added
   * later whose body names a video or a draft gets its entry here; every other route is called
   * with its documented example as is.
   */
  const bodyOverrides = (): Record<string, Json> => ({
    createVideo: { model: "test-pattern" },
    extendVideo: { seconds: 4, video: { id: videos.main } },
    editVideo: { video: { id: videos.main } },
  });

  /** `as`: whose objects the path names (default: the method's own, see pathIds). */
  function request(r: Route, as = r.method): { url: string; init: RequestInit } {
    const ids = pathIds(as);
    const query = new URLSearchParams();
    for (const p of (r.op.parameters ?? []) as Json[])
      if (p.in === "query" && p.required) query.set(p.name, String(walk.sample(p.schema)));
    const url = `${walk.fill(r.path, ids)}${query.size ? `?${query}` : ""}`;
    const headers: Record<string, string> = { authorization: `Bearer ${keyA}` };
    const content = r.op.requestBody?.content as Json | undefined;
    let body: BodyInit | undefined;
    if (content?.["application/json"]) {
      headers["content-type"] = "application/json";
      body = JSON.stringify({
        ...(walk.sample(content["application/json"].schema) as Json),
        ...bodyOverrides()[r.op.operationId],
      });
    } else if (content?.["multipart/form-data"]) {
      const s = walk.resolve(content["multipart/form-data"].schema);
      const form = new FormData();
      for (const field of s.required ?? [])
        form.set(field, String(walk.sample(s.properties[field])));
      for (const [field, p] of Object.entries(s.properties ?? {}) as [string, Json][])
        if (p.contentMediaType === "application/octet-stream")
          // An upload route checks what it is given: a video field gets a real video.
          form.set(
            field,
            field === "video"
              ? new Blob([new Uint8Array(recording)], { type: "video/mp4" })
              : new Blob([Buffer.from("not really a file")]),
            field === "video" ? "recording.mp4" : `${field}.bin`,
          );
      body = form;
    }
    return { url, init: { method: r.method.toUpperCase(), headers, body } };
  }

  it("is served at /v1/openapi.json and validates as OpenAPI 3.1; /v1/docs lists every route", async () => {
    const res = await fetch(`${app.url}/v1/openapi.json`);
    expect(res.status).toBe(200);
    doc = await json(res);
    walk = openApiWalk(doc);
    expect(doc.openapi).toBe("3.1.0");
    // Fetched before validating: the validator blocks the event loop for seconds on a loaded
    // machine, after which a kept-alive socket may already be closed (ECONNRESET).
    const html = await (await fetch(`${app.url}/v1/docs`)).text();
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    // The validator can fail: a broken REST operation is refused.
    const broken = structuredClone(doc);
    broken.paths["/projects/{project_id}/prompt"].put.requestBody.content["application/json"] = 7;
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow();
    for (const p of [
      "/workspaces",
      "/projects/{project_id}/prompt",
      "/projects/{project_id}/storyboard",
      "/projects/{project_id}/collab-token",
      "/drafts/{draft_id}/publish",
    ])
      expect(Object.keys(doc.paths)).toContain(p);
    for (const r of walk.routes())
      expect(html, r.op.operationId).toContain(
        `${r.method.toUpperCase()}</span> <code>/v1${r.path}</code>`,
      );
  });

  it("every route in it answers its documented example with the documented status and body", async () => {
    const seen: string[] = [];
    for (const r of walk.routes()) {
      const statuses = Object.keys(r.op.responses).map(Number);
      const success =
        statuses.filter((s) => s < 300).sort()[0] ??
        statuses.filter((s) => ![400, 401, 403, 404, 409, 413, 429].includes(s)).sort()[0];
      const { url, init } = request(r);
      const res = await fetch(`${app.url}/v1${url}`, init);
      const what = `${r.op.operationId} (${r.method.toUpperCase()} ${url})`;
      if (res.status !== success) {
        const text = await res.text();
        throw new Error(`${what}: expected ${success}, got ${res.status}: ${text.slice(0, 400)}`);
      }
      if (r.op.operationId === "createCharacter") characterId = (await json(res.clone())).id;
      await walk.expectDocumented(r, res, what);
      seen.push(r.op.operationId);
    }
    // The walk covered the REST routes (and whatever else the document lists).
    expect(seen).toEqual(expect.arrayContaining(["updatePrompt", "publishDraft", "deleteDraft"]));
    expect(seen.length).toBe(walk.routes().length);
  });

  it("every route answers one documented error case as documented, and 401 without a key", async () => {
    for (const r of walk.routes()) {
      const statuses = Object.keys(r.op.responses).map(Number);
      const offered = statuses.some((s) => s < 300);
      const json = r.op.requestBody?.content?.["application/json"];
      const params = ((r.op.parameters ?? []) as Json[]).filter((p) => p.in === "path");
      let res: globalThis.Response;
      let want: number;
      let url = walk.fill(r.path, pathIds(r.method));
      if (offered && json) {
        // A body of the wrong type: 400.
        want = 400;
        res = await call(keyA, r.method, url, walk.invalidSample(json.schema));
      } else if (offered && params.length > 0) {
        // A forged id: 404.
        want = 404;
        url = walk.fill(r.path, { ...pathIds(r.method), [params[0]!.name]: randomUUID() });
        res = await call(keyA, r.method, url);
      } else if (offered && r.op["x-scope"]) {
        // A key without the route's scope: 403.
        want = 403;
        const key = r.op["x-scope"].startsWith("videos:") ? keyWorkspaceRead : keyVideosOnly;
        res = await call(key, r.method, url);
      } else {
        want = 401;
        res = await call(null, r.method, url);
      }
      const what = `${r.op.operationId} error case`;
      expect(statuses, `${what}: ${want} documented`).toContain(want);
      expect(res.status, `${what} (${r.method.toUpperCase()} ${url})`).toBe(want);
      await walk.expectDocumented(r, res, what);

      const anon = await call(null, r.method, walk.fill(r.path, pathIds(r.method)));
      expect(anon.status, `${r.op.operationId} without a key`).toBe(401);
      await walk.expectDocumented(r, anon, `${r.op.operationId} without a key`);
    }
  });

  it("a key of another workspace gets 404 on every route that names an object of this one", async () => {
    // Every route that names an object and is offered (not a 501 placeholder).
    const named = walk
      .routes()
      .filter(
        (r) => r.path.includes("{") && Object.keys(r.op.responses).some((c) => Number(c) < 300),
      );
    expect(named.length).toBeGreaterThan(10);
    // Another team's key, and the same person's key for another of their workspaces (their role
    // would allow it: only the key's workspace binding refuses it).
    for (const [who, key] of [
      ["another team", keyB],
      ["the owner's other workspace", keyA2],
    ])
      for (const r of named) {
        // The live objects, deletes included: a leak here would delete them.
        const { url, init } = request(r, "get");
        const res = await fetch(`${app.url}/v1${url}`, {
          ...init,
          headers: { ...(init.headers as Json), authorization: `Bearer ${key}` },
        });
        expect(res.status, `${r.op.operationId} with ${who}'s key`).toBe(404);
        await walk.expectDocumented(r, res, `${r.op.operationId} (${who})`);
      }
  });

  it("a key without the scope is refused 403 on every route that needs it", async () => {
    for (const r of walk.routes().filter((x) => x.op["x-scope"])) {
      const scope = String(r.op["x-scope"]);
      const key = scope.startsWith("videos:")
        ? keyWorkspaceRead
        : scope === "workspace:read"
          ? keyVideosOnly
          : keyWorkspaceRead;
      const { url, init } = request(r, "get");
      const res = await fetch(`${app.url}/v1${url}`, {
        ...init,
        headers: { ...(init.headers as Json), authorization: `Bearer ${key}` },
      });
      const err = await expectRefusal(res, 403);
      expect(err.code, r.op.operationId).toBe("insufficient_scope");
      expect(err.message).toContain(scope);
    }
  });
});

describe("access: one workspace's key never reaches another's", () => {
  it("lists only its own workspace and projects; another workspace's ids are 404 and stay unchanged", async () => {
    const mine = await json(await call(keyB, "get", "/workspaces"));
    expect(mine.data.map((w: Json) => w.id)).toEqual([wsB]);
    const side = await json(await call(keyA2, "get", "/projects"));
    expect(side.data).toEqual([]);
    await expectRefusal(await call(keyA2, "get", `/workspaces/${wsA}`), 404);
    await expectRefusal(
      await call(keyA2, "put", `/projects/${docProject}/prompt`, { text: "Wrong studio" }),
      404,
    );
    const theirs = await json(await call(keyB, "get", "/projects"));
    expect(theirs.data.map((p: Json) => p.id)).not.toContain(docProject);
    await expectRefusal(await call(keyB, "get", `/workspaces/${wsA}`), 404);
    await expectRefusal(await call(keyB, "get", `/workspaces/${wsA}/members`), 404);

    await call(keyA, "put", `/projects/${docProject}/prompt`, { text: "Owned by A" });
    await expectRefusal(
      await call(keyB, "put", `/projects/${docProject}/prompt`, { text: "Taken over" }),
      404,
    );
    await expectRefusal(
      await call(keyB, "patch", `/projects/${docProject}`, { title: "Mine now" }),
      404,
    );
    await expectRefusal(await call(keyB, "delete", `/drafts/${drafts.main}`), 404);
    await expectRefusal(await call(keyB, "post", `/drafts/${drafts.publish}/publish`, {}), 404);
    expect((await json(await call(keyA, "get", `/projects/${docProject}/prompt`))).text).toBe(
      "Owned by A",
    );
    expect((await json(await call(keyA, "get", `/projects/${docProject}`))).title).toBe(
      "Live documents",
    );
    const jobs = await pool.query("SELECT 1 FROM publish_jobs WHERE draft_id = $1", [
      drafts.publish,
    ]);
    expect(jobs.rowCount).toBe(0);
    // Even a project B's owner creates is not reachable with A's key.
    const bProject = await json(await call(keyB, "post", "/projects", { title: "B's film" }));
    expect(bProject.workspace_id).toBe(wsB);
    await expectRefusal(await call(keyA, "get", `/projects/${bProject.id}/storyboard`), 404);
  });

  it("a key does no more than its owner's current role: demoted to viewer, its writes are 403", async () => {
    const name = `restc${Math.random().toString(36).slice(2, 8)}`;
    const editor = (
      await pool.query<{ id: string }>(
        `INSERT INTO users (email, username, password_hash, birthdate, is_minor)
         VALUES ($1, $2, 'x', '1990-01-01', false) RETURNING id`,
        [`${name}@example.test`, name],
      )
    ).rows[0]!.id;
    await pool.query(
      "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, 'editor')",
      [wsA, editor],
    );
    const key = (await createApiKey(pool, editor, wsA, { name: "Editor" })).key;
    expect(
      (await call(key, "put", `/projects/${docProject}/prompt`, { text: "By C" })).status,
    ).toBe(200);
    await pool.query(
      "UPDATE workspace_members SET role = 'viewer' WHERE workspace_id = $1 AND user_id = $2",
      [wsA, editor],
    );
    const err = await expectRefusal(
      await call(key, "put", `/projects/${docProject}/prompt`, { text: "Still me" }),
      403,
    );
    expect(err.code).toBe("insufficient_role");
    await expectRefusal(await call(key, "post", "/projects", { title: "Mine" }), 403);
    expect((await json(await call(key, "get", `/projects/${docProject}/prompt`))).text).toBe(
      "By C",
    );
    await call(keyA, "put", `/projects/${docProject}/prompt`, { text: "Owned by A" });
  });

  it("forged and malformed ids are 404, the same answer as another workspace's", async () => {
    for (const p of [
      `/projects/${randomUUID()}`,
      "/projects/not-a-uuid/prompt",
      `/projects/${randomUUID()}/storyboard`,
      `/drafts/${randomUUID()}`,
      "/drafts/1%27%20OR%201=1/content",
      `/workspaces/${randomUUID()}`,
    ]) {
      const err = await expectRefusal(await call(keyA, "get", p), 404);
      expect(err.code).toBe("not_found");
    }
    const err = await expectRefusal(
      await call(keyA, "get", `/projects/${apiProject}/drafts?after=${randomUUID()}`),
      404,
      "after",
    );
    expect(err.code).toBe("not_found");
  });
});

describe("bad bodies are 400 in OpenAI's error shape, naming the field", () => {
  it("refuses wrong types, empty titles, unknown shots and non-JSON bodies, and writes nothing", async () => {
    const before = (await json(await call(keyA, "get", `/projects/${docProject}/storyboard`)))
      .shots;
    await expectRefusal(await call(keyA, "post", "/projects", { title: "   " }), 400, "title");
    await expectRefusal(await call(keyA, "post", "/projects", {}), 400, "title");
    await expectRefusal(
      await call(keyA, "put", `/projects/${docProject}/prompt`, { text: 42 }),
      400,
      "text",
    );
    await expectRefusal(
      await call(keyA, "put", `/projects/${docProject}/prompt`, { text: "x".repeat(20_001) }),
      400,
      "text",
    );
    const unknown = await expectRefusal(
      await call(keyA, "put", `/projects/${docProject}/storyboard`, {
        shots: [{ prompt: "new" }, { id: "no-such-shot", prompt: "x" }],
      }),
      400,
      "shots.1.id",
    );
    expect(unknown.code).toBe("unknown_shot");
    await expectRefusal(
      await call(keyA, "post", `/projects/${docProject}/storyboard/shots`, {
        duration_seconds: 90,
      }),
      400,
      "duration_seconds",
    );
    await expectRefusal(
      await call(keyA, "post", `/drafts/${drafts.publish}/publish`, { audience: "kids" }),
      400,
      "audience",
    );
    const text = await fetch(`${app.url}/v1/projects`, {
      method: "POST",
      headers: { authorization: `Bearer ${keyA}`, "content-type": "text/plain" },
      body: "title=x",
    });
    await expectRefusal(text, 400);
    const broken = await fetch(`${app.url}/v1/projects`, {
      method: "POST",
      headers: { authorization: `Bearer ${keyA}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect((await expectRefusal(broken, 400)).code).toBe("invalid_json");
    expect(
      (await json(await call(keyA, "get", `/projects/${docProject}/storyboard`))).shots,
    ).toEqual(before);
    const jobs = await pool.query("SELECT 1 FROM publish_jobs WHERE draft_id = $1", [
      drafts.publish,
    ]);
    expect(jobs.rowCount).toBe(0);
  });
});

describe("the prompt and storyboard documents, live", () => {
  let prompt: Client;
  let board: Client;

  it("a collab token from the API is the app's token: it verifies and opens the project's documents", async () => {
    const res = await call(keyA, "post", `/projects/${docProject}/collab-token`);
    expect(res.status).toBe(200);
    const t = await json(res);
    expect(t.documents).toEqual({
      prompt: `project.${docProject}.prompt`,
      storyboard: `project.${docProject}.storyboard`,
      casting: `project.${docProject}.casting`,
      comments: `project.${docProject}.comments`,
    });
    expect(t.url).toMatch(/^wss?:\/\//);
    const verified = verifyCollabToken(SECRET, t.token);
    expect(verified).toMatchObject({ ok: true, payload: { sub: userA, name: "Ada resta" } });
    expect(t.expires_at).toBeGreaterThan(Date.now() / 1000 + 500);
    const url = `ws://127.0.0.1:${collab.port}`;
    prompt = connect(url, t.documents.prompt, t.token);
    board = connect(url, t.documents.storyboard, t.token);
    clients.push(prompt, board);
    await Promise.all([prompt.ready, board.ready]);
    // A forged token is refused by the collab server.
    const forged = connect(url, t.documents.prompt, `${t.token.slice(0, -2)}xx`);
    clients.push(forged);
    await expect(forged.ready).rejects.toThrow();
  });

  it("a prompt written over REST appears in the open editor; the editor's typing is read back over REST", async () => {
    const text = "Subject: a lighthouse keeper\nAction: climbs the stairs\nCamera: slow dolly in";
    const res = await call(keyA, "put", `/projects/${docProject}/prompt`, { text });
    expect(res.status).toBe(200);
    expect((await json(res)).text).toBe(text);
    await waitFor(
      "the live editor to see the prompt",
      async () => (promptPlainText(prompt.doc) === text ? true : undefined),
      10_000,
    );
    // The editor types into the first paragraph; REST reads it back once acknowledged.
    const first = (promptFragment(prompt.doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    first.insert(first.length, " at dusk");
    await acknowledged(prompt);
    const read = await json(await call(keyA, "get", `/projects/${docProject}/prompt`));
    expect(read.text).toBe(text.replace("keeper", "keeper at dusk"));
    // A REST rewrite of the last line leaves the editor's first-line edit (and its Yjs items) alone.
    const item = promptFragment(prompt.doc).get(0);
    await call(keyA, "put", `/projects/${docProject}/prompt`, {
      text: `${read.text.split("\n").slice(0, 2).join("\n")}\nCamera: crane up`,
    });
    await waitFor(
      "the rewrite",
      async () => (promptPlainText(prompt.doc).endsWith("crane up") ? true : undefined),
      10_000,
    );
    expect(promptFragment(prompt.doc).get(0)).toBe(item);
    expect(promptPlainText(prompt.doc)).toContain("keeper at dusk");
  });

  it("a storyboard written over REST appears in the open storyboard, in order, with the editor's shot kept when listed", async () => {
    const added = await json(
      await call(keyA, "post", `/projects/${docProject}/storyboard/shots`, {
        prompt: "Wide: the lighthouse",
        duration_seconds: 5,
      }),
    );
    expect(added).toMatchObject({ prompt: "Wide: the lighthouse", duration_seconds: 5 });
    await waitFor(
      "the shot",
      async () => (listShots(board.doc).some((s) => s.id === added.id) ? true : undefined),
      10_000,
    );
    const res = await call(keyA, "put", `/projects/${docProject}/storyboard`, {
      shots: [
        { prompt: "Close: the lamp", duration_seconds: 3, transition: "dissolve" },
        { id: added.id, prompt: "Wide: the lighthouse at night", duration_seconds: 5 },
      ],
    });
    expect(res.status).toBe(200);
    const board2 = await json(res);
    expect(board2.shots.map((s: Json) => s.prompt)).toEqual([
      "Close: the lamp",
      "Wide: the lighthouse at night",
    ]);
    expect(board2.shots[1].id).toBe(added.id);
    expect(board2.total_seconds).toBe(8);
    await waitFor(
      "the live storyboard",
      async () =>
        listShots(board.doc)
          .map((s) => s.prompt)
          .join("|") === "Close: the lamp|Wide: the lighthouse at night"
          ? true
          : undefined,
      10_000,
    );
  });
});

describe("publishing runs the app's publish workflow and checks", () => {
  it("the walk's publish of the main draft completes as a post under the key's owner", async () => {
    const job = await waitFor(
      "the publish job",
      async () => {
        const j = await json(await call(keyA, "get", `/drafts/${drafts.main}/publish`));
        return j.status === "succeeded" || j.status === "failed" ? j : undefined;
      },
      240_000,
    );
    expect(job).toMatchObject({ status: "succeeded", object: "publish_job", error: null });
    const post = await pool.query<{ author_id: string; caption: string; draft_id: string }>(
      "SELECT author_id, caption, draft_id FROM posts WHERE id = $1",
      [job.post_id],
    );
    expect(post.rows[0]).toMatchObject({ author_id: userA, draft_id: drafts.main });
    const draft = await json(await call(keyA, "get", `/drafts/${drafts.main}`));
    expect(draft.post_id).toBe(job.post_id);
    // Publishing again is the same job; a published draft is not deleted.
    const again = await json(await call(keyA, "post", `/drafts/${drafts.main}/publish`, {}));
    expect(again.id).toBe(job.id);
    await expectRefusal(await call(keyA, "delete", `/drafts/${drafts.main}`), 409);
  });

  it("the workspace's approval rule refuses it (403, no job), and the caption safety check fails the job", async () => {
    await pool.query("UPDATE workspaces SET require_approval_to_publish = true WHERE id = $1", [
      wsA,
    ]);
    const err = await expectRefusal(
      await call(keyA, "post", `/drafts/${drafts.publish}/publish`, { caption: "Dusk" }),
      403,
    );
    expect(err.message).toContain("approved versions only");
    expect(
      (await pool.query("SELECT 1 FROM publish_jobs WHERE draft_id = $1", [drafts.publish]))
        .rowCount,
    ).toBe(0);
    await pool.query("UPDATE workspaces SET require_approval_to_publish = false WHERE id = $1", [
      wsA,
    ]);
    const res = await call(keyA, "post", `/drafts/${drafts.publish}/publish`, {
      caption: "a deepfake of my neighbour robbing a bank",
    });
    expect(res.status).toBe(200);
    const job = await waitFor("the refused publish", async () => {
      const j = await json(await call(keyA, "get", `/drafts/${drafts.publish}/publish`));
      return j.status === "succeeded" || j.status === "failed" ? j : undefined;
    });
    expect(job).toMatchObject({ status: "failed", post_id: null });
    expect(job.error.code).toBe("unsafe_caption");
    expect(
      (await pool.query("SELECT 1 FROM posts WHERE draft_id = $1", [drafts.publish])).rowCount,
    ).toBe(0);
  });
});
