import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { runFfmpeg } from "@reelhouse/shared/media/ffmpeg.server";
import { makeDraft, type TestUser } from "@reelhouse/shared/social/test-fixtures";
import { testDatabaseUrl, testPool } from "@reelhouse/shared/testing/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboardOverHttp, pngPhoto } from "./fixtures.ts";
import { Client, multipartBody, startTestApp, type TestApp } from "./harness.ts";

/**
 * The recorder's routes over real HTTP (built app, real Postgres, real ffmpeg judging the upload,
 * the real cameo service enqueueing on DBOS; no worker runs here, so an accepted cameo stays
 * "processing"): prompts, upload of a person's and a pet's recording, the live status, and the
 * refusals, each leaving no row and no file: no consent, no prompts token, oversized (declared and
 * streamed), someone else's cameo, a text file, a missing or wrong CSRF token.
 */

// Before anything reads env(): the service's DBOS client needs DATABASE_URL; files under DATA_DIR.
process.env.DATABASE_URL = testDatabaseUrl();
const dataDir = mkdtempSync(path.join(os.tmpdir(), "rh-cameo-http-"));
process.env.DATA_DIR = dataDir;

const pool = testPool();
let app: TestApp;
let owner: Client;
let other: Client;
let ownerId: string;
let otherId: string;
let webm: Buffer;

async function userId(username: string): Promise<string> {
  const r = await pool.query<{ id: string }>("SELECT id FROM users WHERE username = $1", [
    username,
  ]);
  return r.rows[0]!.id;
}

async function cameosOf(id: string) {
  const r = await pool.query<{ id: string; kind: string; status: string; recording_path: string }>(
    "SELECT id, kind, status, recording_path FROM cameos WHERE owner_id = $1 ORDER BY created_at",
    [id],
  );
  return r.rows;
}

/** Every file under DATA_DIR/cameos (the incoming folder included). */
function cameoFiles(): string[] {
  const root = path.join(dataDir, "cameos");
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)));
}

function upload(
  client: Client,
  fields: Record<string, string>,
  data: Buffer = webm,
  csrf?: string | null,
) {
  const { body, contentType } = multipartBody(csrf === undefined ? client.csrf : csrf, fields, {
    field: "recording",
    filename: "take.webm",
    contentType: "video/webm",
    data,
  });
  return client.request("POST", "/cameos/record", {
    body,
    headers: {
      "content-type": contentType,
      accept: "application/json",
      origin: client.base,
      "sec-fetch-site": "same-origin",
    },
  });
}

async function planToken(client: Client): Promise<string> {
  const res = await client.request("GET", "/cameos/record", {
    headers: { accept: "application/json" },
  });
  expect(res.status).toBe(200);
  return (JSON.parse(res.body) as { token: string }).token;
}

beforeAll(async () => {
  const clip = path.join(dataDir, "clip.webm");
  await runFfmpeg([
    "-hide_banner",
    "-nostdin",
    "-v",
    "error",
    "-f",
    "lavfi",
    "-i",
    "testsrc2=size=640x480:rate=15:duration=4",
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=220:duration=4",
    "-c:v",
    "libvpx",
    "-deadline",
    "realtime",
    "-cpu-used",
    "8",
    "-b:v",
    "300k",
    "-c:a",
    "libopus",
    "-f",
    "webm",
    clip,
  ]);
  webm = readFileSync(clip);
  rmSync(clip);
  app = await startTestApp();
  owner = new Client(app.url);
  other = new Client(app.url);
  const a = await onboardOverHttp(owner, pool);
  const b = await onboardOverHttp(other, pool);
  ownerId = await userId(a.username);
  otherId = await userId(b.username);
  await owner.get("/cameos");
  await other.get("/cameos");
}, 240_000);

afterAll(async () => {
  await app?.close();
  await pool.end();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("cameo recorder routes", () => {
  it("lets our own pages (not other origins) open the camera and microphone", async () => {
    const page = await owner.get("/cameos");
    expect(page.status).toBe(200);
    expect(page.headers["permissions-policy"]).toMatch(/camera=\(self\), microphone=\(self\)/);
  });

  it("issues four signed prompts in a random order, fresh for every take", async () => {
    const res = await owner.request("GET", "/cameos/record", {
      headers: { accept: "application/json" },
    });
    const body = JSON.parse(res.body) as {
      plan: { prompts: { kind: string; digits?: string }[] };
      token: string;
      maxBytes: number;
    };
    expect(body.plan.prompts.map((p) => p.kind).sort()).toEqual(["digits", "left", "right", "up"]);
    expect(body.plan.prompts.find((p) => p.kind === "digits")!.digits).toMatch(/^\d{4}$/);
    expect(body.maxBytes).toBe(40 * 1024 * 1024);
    expect(await planToken(owner)).not.toBe(body.token);
  });

  it("refuses an upload without the consent field, and keeps nothing", async () => {
    const res = await upload(owner, { kind: "pet", name: "biscuit", planToken: "" });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, code: "consent_missing" });
    expect(await cameosOf(ownerId)).toEqual([]);
    expect(cameoFiles()).toEqual([]);
  });

  it("refuses a person's recording without the signed prompts, or with altered ones", async () => {
    const none = await upload(owner, { consent: "yes", kind: "person" });
    expect(none.status).toBe(400);
    expect(JSON.parse(none.body).code).toBe("liveness_plan");
    const token = await planToken(owner);
    const forged = await upload(owner, { consent: "yes", kind: "person", planToken: `x${token}` });
    expect(forged.status).toBe(400);
    expect(JSON.parse(forged.body).code).toBe("liveness_plan");
    expect(await cameosOf(ownerId)).toEqual([]);
    expect(cameoFiles()).toEqual([]);
  });

  it("refuses a text file sent as a recording, with the reason", async () => {
    const res = await upload(
      owner,
      { consent: "yes", kind: "pet", name: "biscuit" },
      Buffer.from("hello, not a video\n".repeat(50)),
    );
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error).toMatch(/WebM|MP4|video/i);
    expect(await cameosOf(ownerId)).toEqual([]);
    expect(cameoFiles()).toEqual([]);
  });

  it("refuses an upload whose declared size is over the limit before reading it", async () => {
    const big = Buffer.alloc(40 * 1024 * 1024 + 300 * 1024);
    webm.copy(big);
    const res = await upload(owner, { consent: "yes", kind: "pet", name: "biscuit" }, big);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).code).toBe("too_large");
    expect(await cameosOf(ownerId)).toEqual([]);
  });

  it("stops a streamed (chunked, undeclared) upload as soon as it passes 40 MB", async () => {
    const { body, contentType } = multipartBody(
      owner.csrf,
      { consent: "yes", kind: "pet", name: "biscuit" },
      {
        field: "recording",
        filename: "take.webm",
        contentType: "video/webm",
        data: Buffer.alloc(0),
      },
    );
    // The multipart head up to the file's bytes, then 1 MB chunks the client would send forever.
    const fileHead = body.indexOf("\r\n\r\n", body.indexOf('name="recording"')) + 4;
    const prefix = body.subarray(0, fileHead);
    let sent = 0;
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const source = new Readable({
      read() {
        if (sent === 0) this.push(prefix);
        sent += chunk.length;
        this.push(sent > 200 * 1024 * 1024 ? null : chunk);
      },
    });
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        new URL("/cameos/record", app.url),
        {
          method: "POST",
          localAddress: owner.localAddress,
          headers: {
            cookie: [...owner.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
            "content-type": contentType,
            "transfer-encoding": "chunked",
            accept: "application/json",
            origin: app.url,
            "sec-fetch-site": "same-origin",
          },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on("data", (c) => parts.push(c));
          res.on("end", () => {
            source.destroy();
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString() });
          });
        },
      );
      req.on("error", (err) => (sent > 40 * 1024 * 1024 ? undefined : reject(err)));
      source.pipe(req);
    });
    expect(status.status).toBe(413);
    expect(JSON.parse(status.body).code).toBe("too_large");
    // Refused long before the 200 MB the client would have sent.
    expect(sent).toBeLessThan(120 * 1024 * 1024);
    expect(await cameosOf(ownerId)).toEqual([]);
    expect(cameoFiles()).toEqual([]);
  });

  it("refuses a missing or wrong CSRF token, and keeps nothing", async () => {
    const missing = await upload(
      owner,
      { consent: "yes", kind: "pet", name: "biscuit" },
      webm,
      null,
    );
    expect(missing.status).toBe(403);
    expect(missing.body).toMatch(/security token/);
    const wrong = await upload(
      owner,
      { consent: "yes", kind: "pet", name: "biscuit" },
      webm,
      other.csrf,
    );
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatch(/not valid/);
    expect(await cameosOf(ownerId)).toEqual([]);
    expect(cameoFiles()).toEqual([]);
  });

  let ownerPerson: string;
  it("accepts a person's recording with its prompts, stores it and queues processing", async () => {
    const res = await upload(owner, {
      consent: "yes",
      kind: "person",
      planToken: await planToken(owner),
    });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { ok: boolean; cameo: { id: string; kind: string } };
    expect(body).toMatchObject({ ok: true, cameo: { kind: "person" } });
    ownerPerson = body.cameo.id;
    const rows = await cameosOf(ownerId);
    expect(rows).toEqual([
      {
        id: ownerPerson,
        kind: "person",
        status: "processing",
        recording_path: `cameos/${ownerPerson}/recording.webm`,
      },
    ]);
    expect(readFileSync(path.join(dataDir, rows[0]!.recording_path)).equals(webm)).toBe(true);
    const wf = await pool.query<{
      workflow_id: string;
      liveness: { plan: { prompts: unknown[] } };
    }>("SELECT workflow_id, liveness FROM cameos WHERE id = $1", [ownerPerson]);
    expect(wf.rows[0]!.workflow_id).toMatch(new RegExp(`^cameo:${ownerPerson}:`));
    expect(wf.rows[0]!.liveness.plan.prompts).toHaveLength(4);
    expect(cameoFiles()).toEqual([`${ownerPerson}/recording.webm`]);
  });

  it("accepts a pet's clip without prompts", async () => {
    const res = await upload(owner, { consent: "yes", kind: "pet", name: "biscuit" });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).cameo).toMatchObject({ kind: "pet", name: "biscuit" });
    expect((await cameosOf(ownerId)).map((c) => c.kind)).toEqual(["person", "pet"]);
  });

  it("shows my cameo's live status, and nobody else's", async () => {
    const mine = await owner.request("GET", `/cameos/${ownerPerson}/status`, {
      headers: { accept: "application/json" },
    });
    expect(mine.status).toBe(200);
    expect(JSON.parse(mine.body)).toMatchObject({
      ok: true,
      status: "processing",
      stage: "uploaded",
      progress: 0,
    });
    const theirs = await other.request("GET", `/cameos/${ownerPerson}/status`, {
      headers: { accept: "application/json" },
    });
    expect(theirs.status).toBe(404);
    const junk = await other.request("GET", "/cameos/not-a-uuid/status", {
      headers: { accept: "application/json" },
    });
    expect(junk.status).toBe(404);
  });

  it("serves my ready cameo's face thumbnail to me only", async () => {
    const face = path.join(dataDir, "cameos", ownerPerson, "kit", "face.png");
    const url = `/cameos/${ownerPerson}/face.png`;
    // Processing: no kit yet.
    expect((await owner.get(url)).status).toBe(404);
    // What the worker leaves behind when the cameo is ready (stood in for here: no worker runs).
    mkdirSync(path.dirname(face), { recursive: true });
    writeFileSync(face, await pngPhoto(64, 64));
    await pool.query("UPDATE cameos SET status = 'ready' WHERE id = $1", [ownerPerson]);
    const mine = await owner.get(url);
    expect(mine.status).toBe(200);
    expect(mine.headers["content-type"]).toBe("image/png");
    expect(mine.headers["cache-control"]).toBe("private, no-store");
    expect((await other.get(url)).status).toBe(404);
    await pool.query("UPDATE cameos SET status = 'processing' WHERE id = $1", [ownerPerson]);
    rmSync(path.dirname(face), { recursive: true });
  });

  it("refuses a retake of someone else's cameo and leaves theirs untouched", async () => {
    const before = await cameosOf(ownerId);
    const res = await upload(other, {
      consent: "yes",
      cameoId: ownerPerson,
      planToken: await planToken(other),
    });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).code).toBe("cameo_not_found");
    expect(await cameosOf(ownerId)).toEqual(before);
    expect(await cameosOf(otherId)).toEqual([]);
    expect(readFileSync(path.join(dataDir, before[0]!.recording_path)).equals(webm)).toBe(true);
    expect(cameoFiles().some((f) => f.startsWith(".incoming/"))).toBe(false);
  });

  it("asks to cast from the page; the person cast deletes a draft with them, and nobody else can", async () => {
    await pool.query(
      "UPDATE cameos SET status = 'ready', who_may_cast = 'approved' WHERE id = $1",
      [ownerPerson],
    );
    const name = (await pool.query("SELECT username FROM users WHERE id = $1", [ownerId])).rows[0]
      .username as string;
    const ask = await other.post("/cameos", { intent: "request-cast", username: `@${name}` });
    expect(ask.status).toBe(200);
    expect(ask.body).toContain(`Asked @${name}`);
    const nobody = await other.post("/cameos", {
      intent: "request-cast",
      username: "@no_such_one",
    });
    expect(nobody.status).toBe(404);
    const grants = await pool.query(
      "SELECT grantee_id, status FROM cameo_grants WHERE cameo_id = $1",
      [ownerPerson],
    );
    expect(grants.rows).toEqual([{ grantee_id: otherId, status: "pending" }]);

    // A draft by the other person that casts the owner's cameo, its video a real file.
    const d = await makeDraft(pool, { id: otherId } as TestUser);
    const rel = `generations/${d.draftId}/video.mp4`;
    mkdirSync(path.join(dataDir, path.dirname(rel)), { recursive: true });
    writeFileSync(path.join(dataDir, rel), "video");
    const wf = await pool.query<{ workflow_id: string }>(
      "UPDATE drafts SET video_path = $2 WHERE id = $1 RETURNING workflow_id",
      [d.draftId, rel],
    );
    await pool.query(
      `INSERT INTO generation_jobs (workflow_id, kind, project_id, user_id, backend, request, status)
       VALUES ($1, 'clip', $2, $3, 'previz', $4, 'succeeded')`,
      [
        wf.rows[0]!.workflow_id,
        d.projectId,
        otherId,
        JSON.stringify({ cast: [{ role: "the barista", cameoId: ownerPerson }] }),
      ],
    );
    const page = await owner.get("/cameos");
    expect(page.body).toContain("Delete draft");
    // Its maker is not in it: refused here (they delete it in their project), nothing changes.
    const refused = await other.post("/cameos", { intent: "delete-draft", draftId: d.draftId });
    expect(refused.status).toBe(404);
    expect(existsSync(path.join(dataDir, rel))).toBe(true);
    const deleted = await owner.post("/cameos", { intent: "delete-draft", draftId: d.draftId });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toContain("Deleted the draft");
    const left = await pool.query("SELECT count(*)::int AS n FROM drafts WHERE id = $1", [
      d.draftId,
    ]);
    expect(left.rows[0].n).toBe(0);
    expect(existsSync(path.join(dataDir, rel))).toBe(false);
  });

  it("deletes a cameo from the page: its row and its folder are gone", async () => {
    await owner.get("/cameos");
    const res = await owner.post("/cameos", { intent: "delete", cameoId: ownerPerson });
    expect(res.status).toBe(200);
    expect((await cameosOf(ownerId)).map((c) => c.kind)).toEqual(["pet"]);
    expect(cameoFiles().some((f) => f.startsWith(`${ownerPerson}/`))).toBe(false);
  });
});
