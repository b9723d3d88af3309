import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { APIRequestContext } from "@playwright/test";
import routes from "../../web/app/routes.ts";
import { e2eEnv } from "../playwright.config.ts";
import { expect, test } from "./fixtures.ts";

/**
 * Provenance on every path that serves media (issue 16 A): every route of the app — the React
 * Router table (web/app/routes.ts), the Express routes of web/server.ts and the API's GET routes
 * (web/http/api/router.ts), read from the source — is either a media case below or named as not
 * serving generated media, so a new media route without a case fails this spec. Each case fetches
 * the bytes a person (member, guest, anonymous visitor) or an API client gets from the running
 * app, and checks them with the C2PA library (valid with this instance's chain), and for videos
 * the visible watermark (its box against the unmarked master) and the invisible one (the detector
 * finds the draft or post it belongs to).
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const out = mkdtempSync(path.join(os.tmpdir(), "rh-media-paths-"));

function provenance(...args: string[]) {
  const res = execFileSync(
    process.execPath,
    ["--import", "tsx", "e2e/provenance-helper.ts", ...args],
    { cwd: repoRoot, env: { ...process.env, ...e2eEnv }, encoding: "utf8", timeout: 900_000 },
  );
  return JSON.parse(res.trim().split("\n").at(-1)!);
}

type Setup = {
  session: string;
  username: string;
  projectId: string;
  draftId: string;
  postId: string;
  editDraftId: string;
  extendDraftId: string;
  posterMediaId: string;
  reviewToken: string;
  shareToken: string;
  guestCookie: { name: string; value: string };
  apiKey: string;
  masters: Record<string, string>;
};

/** One fetch of a case: who asks, and whose marks the bytes must carry. */
type Fetch = {
  url: string;
  headers?: Record<string, string>;
  /** The draft whose id the invisible mark carries (a post carries its draft's). */
  owner: string;
};
type Ctx = Setup & { apiVideoId: string; apiDraftId: string };

const member = (s: Ctx) => ({ cookie: `rh_session=${s.session}` });
const guest = (s: Ctx) => ({ cookie: `${s.guestCookie.name}=${s.guestCookie.value}` });
const api = (s: Ctx) => ({ authorization: `Bearer ${s.apiKey}` });

/** The routes that serve generated media, and what each must be asked for. */
const MEDIA: Record<string, (s: Ctx) => Fetch[] | Promise<Fetch[]>> = {
  "projects/:projectId/drafts/:draftId/:file": (s) =>
    [s.draftId, s.editDraftId, s.extendDraftId].flatMap((d) =>
      ["video.mp4", "poster.jpg", "sprite.jpg"].map((f) => ({
        url: `/projects/${s.projectId}/drafts/${d}/${f}`,
        headers: member(s),
        owner: d,
      })),
    ),
  "projects/:projectId/posters/:mediaId": (s) => [
    {
      url: `/projects/${s.projectId}/posters/${s.posterMediaId}`,
      headers: member(s),
      owner: s.draftId,
    },
  ],
  "s/:token/posters/:mediaId": (s) => [
    { url: `/s/${s.shareToken}/posters/${s.posterMediaId}`, owner: s.draftId },
  ],
  "p/:postId/:file": (s) =>
    ["video.mp4", "poster.jpg", "download.mp4"].map((f) => ({
      url: `/p/${s.postId}/${f}`,
      owner: s.draftId,
    })),
  // The embed page is HTML: what it plays is what a third party's visitors get.
  "embed/:postId": async (s) => {
    const html = await (await fetch(`${base}/embed/${s.postId}`)).text();
    const urls = [...html.matchAll(/\b(?:src|poster)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls.length).toBe(2);
    return urls.map((u) => ({ url: u.replace(/^https?:\/\/[^/]+/, ""), owner: s.draftId }));
  },
  "r/:token/v/:draftId/:file": (s) => [
    ...["video.mp4", "poster.jpg", "sprite.jpg", "video.mp4?download=1"].map((f) => ({
      url: `/r/${s.reviewToken}/v/${s.draftId}/${f}`,
      headers: guest(s),
      owner: s.draftId,
    })),
  ],
  "/v1/videos/:id/content": (s) =>
    ["video", "thumbnail", "spritesheet"].map((v) => ({
      url: `/v1/videos/${s.apiVideoId}/content?variant=${v}`,
      headers: api(s),
      owner: s.apiDraftId,
    })),
  // The REST API's draft download, of the studio's draft (same workspace as the key), so its
  // master is in hand and the visible mark is checked against it too.
  "/v1/drafts/:id/content": (s) =>
    ["video", "thumbnail", "spritesheet"].map((v) => ({
      url: `/v1/drafts/${s.draftId}/content?variant=${v}`,
      headers: api(s),
      owner: s.draftId,
    })),
};

/** Media that is not generated: the person's own uploads, shown back to them. */
const EXEMPT: Record<string, string> = {
  "/media/:id": "avatars, the person's own uploaded picture",
  "cameos/:cameoId/face.png": "a frame of the person's own cameo recording, for them only",
};

/** Routes that serve no media bytes (pages, JSON, text exports, uploads, streams). */
const NOT_MEDIA = [
  "",
  "join",
  "join/account",
  "join/profile",
  "waitlist",
  "signin",
  "verify",
  "signout",
  "forgot-password",
  "reset-password/:token",
  "verify-email/:token",
  "settings",
  "u/:username",
  "admin",
  "projects",
  "projects/:projectId",
  "projects/:projectId/collab-token",
  "projects/:projectId/mentions",
  "projects/:projectId/explain",
  "projects/:projectId/history/:snapshotId",
  "projects/:projectId/jobs",
  "projects/:projectId/edit/:editId",
  "projects/:projectId/edits",
  "projects/:projectId/drafts/:draftId/extend",
  "projects/:projectId/edits/:editId",
  "projects/:projectId/edits/:editId/export/:format",
  "w/:workspaceId",
  "w/:workspaceId/members",
  "invite/:token",
  "s/:token",
  "s/:token/collab-token",
  "s/:token/notify",
  "feed",
  "trending",
  "tag/:tag",
  "p/:postId",
  "p/:postId/like",
  "p/:postId/comments",
  "p/:postId/manage",
  "p/:postId/remix",
  "u/:username/follow",
  "report",
  "notifications",
  "notifications/count",
  "notifications/stream",
  "moderation",
  "publish/:draftId",
  "review/:draftId",
  "review/:draftId/collab-token",
  "review/:draftId/notify",
  "review/:draftId/upload",
  "review/:draftId/export/:format",
  "r/:token",
  "r/:token/collab-token",
  "r/:token/notify",
  "settings/api",
  "settings/webhooks",
  "settings/backends",
  "cameos",
  "cameos/record",
  "cameos/:cameoId/status",
  "*",
  "/v1/openapi.json",
  "/v1/docs",
  "/v1/videos",
  "/v1/videos/characters/:id",
  "/v1/videos/:id",
  "/v1/workspaces",
  "/v1/workspaces/:id",
  "/v1/workspaces/:id/members",
  "/v1/projects",
  "/v1/projects/:id",
  "/v1/projects/:id/prompt",
  "/v1/projects/:id/storyboard",
  "/v1/projects/:id/drafts",
  "/v1/drafts/:id",
  "/v1/drafts/:id/publish",
];

type Entry = { path?: string; file: string; index?: boolean; children?: Entry[] };
function flatten(entries: Entry[], prefix = ""): { path: string; file: string }[] {
  return entries.flatMap((e) => {
    const p = e.index ? prefix : [prefix, e.path ?? ""].filter(Boolean).join("/");
    return [{ path: p, file: e.file }, ...flatten(e.children ?? [], p)];
  });
}

/** Every route the app answers GETs on: the React Router table, Express's own, the API's. */
function allRoutes(): { path: string; file: string | null }[] {
  const rr = flatten(routes as unknown as Entry[]);
  const server = readFileSync(path.join(repoRoot, "web/server.ts"), "utf8");
  const express = [...server.matchAll(/\bapp\.get\(\s*"([^"]+)"/g)].map((m) => m[1]!);
  // The API's routes: the videos router and the REST resources it adds (rest.ts).
  const apiGets = ["router.ts", "rest.ts"].flatMap((f) => {
    const src = readFileSync(path.join(repoRoot, "web/http/api", f), "utf8");
    return [...src.matchAll(/\brouter\.get\(\s*"([^"]+)"/g)].map((m) => ({
      path: `/v1${m[1]}`,
      file: `../http/api/${f}`,
    }));
  });
  return [...rr, ...express.map((p) => ({ path: p, file: "../server.ts" })), ...apiGets];
}

const base = `http://localhost:${e2eEnv.PORT}`;

test("the route table is covered: every route is a media case, exempt, or serves no media", () => {
  const all = allRoutes();
  expect(all.length).toBeGreaterThan(60);
  const known = new Set([...Object.keys(MEDIA), ...Object.keys(EXEMPT), ...NOT_MEDIA]);
  const missing = all.map((r) => r.path).filter((p) => !known.has(p));
  expect(
    missing,
    "routes without a case: add one to MEDIA (or say why they serve no media)",
  ).toEqual([]);
  const stale = [...known].filter((p) => !all.some((r) => r.path === p));
  expect(stale, "cases for routes that no longer exist").toEqual([]);
  // A route module that sends files must not hide among the routes that serve no media.
  for (const r of all) {
    if (!r.file || !NOT_MEDIA.includes(r.path) || r.file.startsWith("..")) continue;
    const src = readFileSync(path.join(repoRoot, "web/app", r.file), "utf8");
    expect(src, `${r.path} (${r.file}) sends files`).not.toMatch(
      /fileResponse\(|sendFile\(|createReadStream\(|readFile\(/,
    );
  }
});

test("every route that serves generated media gives marked, signed bytes to every audience", async ({
  request,
}) => {
  test.setTimeout(1_200_000);
  const s = provenance("setup", `prov_${Date.now().toString(36)}`) as Setup;
  const { apiVideoId, apiDraftId } = await apiVideo(request, s);
  const ctx: Ctx = { ...s, apiVideoId, apiDraftId };

  const checks: { url: string; file: string; master?: string; payloads: string[] }[] = [];
  let n = 0;
  for (const [route, make] of Object.entries(MEDIA)) {
    const fetches = await make(ctx);
    expect(fetches.length, route).toBeGreaterThan(0);
    for (const f of fetches) {
      const res = await request.get(f.url, { headers: f.headers ?? {}, maxRedirects: 0 });
      expect(res.status(), `${f.url}`).toBe(200);
      const type = res.headers()["content-type"] ?? "";
      expect(type, f.url).toMatch(/^(video\/mp4|image\/jpeg)/);
      const file = path.join(out, `${n++}${type.startsWith("video") ? ".mp4" : ".jpg"}`);
      writeFileSync(file, await res.body());
      checks.push({
        url: f.url,
        file,
        master: type.startsWith("video") ? s.masters[f.owner] : undefined,
        payloads: [f.owner],
      });
    }
  }
  const results = provenance("check", JSON.stringify(checks)) as {
    file: string;
    video: boolean;
    c2pa: { state: string; kind: string | null; failures: unknown[] };
    mark: { found: boolean; blind: string | null; matched: string | null } | null;
    visible: { inside: number; outside: number } | null;
  }[];
  const report = results.map((r, i) => ({ url: checks[i]!.url, ...r }));
  console.log(JSON.stringify(report, null, 1));
  for (const r of report) {
    expect(r.c2pa.state, `${r.url}: C2PA ${JSON.stringify(r.c2pa.failures)}`).toBe("ours");
    if (!r.video) continue;
    expect(r.mark?.found, `${r.url}: invisible mark`).toBe(true);
    expect(r.mark?.matched, `${r.url}: invisible mark's owner`).toBe(
      checks
        .find((c) => c.url === r.url)!
        .payloads[0]!.replace(/-/g, "")
        .slice(0, 8),
    );
    if (r.visible) {
      expect(r.visible.inside, `${r.url}: visible mark`).toBeGreaterThan(15);
      expect(r.visible.outside, `${r.url}: picture outside the mark`).toBeLessThan(8);
    }
  }
  // Every video was checked for the visible mark, except the API's (its master is not in hand:
  // the same store step marks it as it marks the others).
  expect(report.filter((r) => r.video && !r.visible).map((r) => r.url)).toEqual([
    `/v1/videos/${apiVideoId}/content?variant=video`,
  ]);
});

/** A video made through the public API (the real queue and worker), and its draft's id. */
async function apiVideo(request: APIRequestContext, s: Setup) {
  const headers = { authorization: `Bearer ${s.apiKey}` };
  const created = await request.post("/v1/videos", {
    headers,
    data: { prompt: "A paper boat drifts on a pond, close-up", seconds: 4 },
  });
  expect(created.status(), await created.text()).toBe(200);
  const id = ((await created.json()) as { id: string }).id;
  const deadline = Date.now() + 600_000;
  for (;;) {
    const v = (await (await request.get(`/v1/videos/${id}`, { headers })).json()) as {
      status: string;
    };
    if (v.status === "completed") break;
    expect(v.status).not.toBe("failed");
    if (Date.now() > deadline) throw new Error("the API video did not complete");
    await new Promise((r) => setTimeout(r, 1000));
  }
  // Its draft's id, from the manifest of its thumbnail (the API does not expose draft ids).
  const thumb = path.join(out, "api-thumb.jpg");
  writeFileSync(
    thumb,
    await (await request.get(`/v1/videos/${id}/content?variant=thumbnail`, { headers })).body(),
  );
  const [r] = provenance("check", JSON.stringify([{ file: thumb, payloads: [] }])) as {
    c2pa: { draftId: string | null };
  }[];
  expect(r?.c2pa.draftId).toBeTruthy();
  return { apiVideoId: id, apiDraftId: r!.c2pa.draftId! };
}
