import { afterAll, describe, expect, it } from "vitest";
import { testPool, uniq } from "../testing/db.ts";
import { projectCovers, shotPosters } from "./latest-renders.server.ts";
import { createProject } from "./projects.server.ts";
import { createShareLink, resolveShareToken } from "./share-links.server.ts";
import { sharedProjectTitle } from "./share-view.server.ts";
import { usernamesByIds } from "./usernames.server.ts";
import { createWorkspace } from "./workspaces.server.ts";

/** The read helpers behind the workspace pages (covers, shot thumbnails, guest title, invitees). */
const pool = testPool();
afterAll(() => pool.end());

async function user(): Promise<{ id: string; username: string }> {
  const username = uniq("p").slice(0, 30);
  const r = await pool.query<{ id: string }>(
    `INSERT INTO users (email, username, password_hash, birthdate, is_minor)
     VALUES ($1, $2, 'x', '1990-01-01', false) RETURNING id`,
    [`${username}@example.test`, username],
  );
  return { id: r.rows[0]!.id, username };
}

async function media(kind: string): Promise<string> {
  const r = await pool.query<{ id: string }>(
    "INSERT INTO media (kind, content_type, bytes) VALUES ($1, 'image/jpeg', 1) RETURNING id",
    [kind],
  );
  return r.rows[0]!.id;
}

async function draft(projectId: string, userId: string, shotId: string | null, ageSeconds: number) {
  const [video, poster, sprite] = [
    await media("video"),
    await media("poster"),
    await media("sprite"),
  ];
  const r = await pool.query<{ id: string }>(
    `INSERT INTO drafts (workflow_id, project_id, created_by, kind, shot_id, backend, video_media_id,
       poster_media_id, sprite_media_id, video_path, poster_path, sprite_path, sprite, probe,
       duration_ms, width, height, created_at)
     VALUES ($1, $2, $3, 'clip', $4, 'test', $5, $6, $7, 'v', 'p', 's', '{}', '{}', 4000, 720, 1280,
       now() - make_interval(secs => $8))
     RETURNING id`,
    [uniq("wf"), projectId, userId, shotId, video, poster, sprite, ageSeconds],
  );
  return { id: r.rows[0]!.id, poster };
}

describe("workspace page queries", () => {
  it("a project's cover is its newest draft's poster; projects without drafts have none", async () => {
    const u = await user();
    const ws = await createWorkspace(pool, u.id, "Covers");
    const withDrafts = await createProject(pool, u.id, ws.id, "With drafts");
    const empty = await createProject(pool, u.id, ws.id, "Empty");
    await draft(withDrafts.id, u.id, null, 60);
    const newest = await draft(withDrafts.id, u.id, "shot-1", 5);
    const covers = await projectCovers(pool, [withDrafts.id, empty.id]);
    expect(covers.get(withDrafts.id)).toBe(newest.poster);
    expect(covers.has(empty.id)).toBe(false);
    expect((await projectCovers(pool, [])).size).toBe(0);
  });

  it("shot thumbnails: by draft id, and the newest draft per storyboard shot", async () => {
    const u = await user();
    const ws = await createWorkspace(pool, u.id, "Shots");
    const p = await createProject(pool, u.id, ws.id, "Board");
    const old = await draft(p.id, u.id, "shot-a", 120);
    const latest = await draft(p.id, u.id, "shot-a", 10);
    const other = await draft(p.id, u.id, "shot-b", 30);
    const posters = await shotPosters(pool, p.id);
    expect(posters[old.id]).toBe(old.poster);
    expect(posters["shot:shot-a"]).toBe(latest.poster);
    expect(posters["shot:shot-b"]).toBe(other.poster);
  });

  it("a guest's live link shows the project's title", async () => {
    const u = await user();
    const ws = await createWorkspace(pool, u.id, "Guests");
    const p = await createProject(pool, u.id, ws.id, "Client cut");
    const { token } = await createShareLink(pool, u.id, p.id, { rights: "view" });
    const link = await resolveShareToken(pool, token);
    expect(await sharedProjectTitle(pool, link)).toBe("Client cut");
  });

  it("usernames by id ignore malformed and unknown ids", async () => {
    const a = await user();
    const b = await user();
    const names = await usernamesByIds(pool, [
      a.id,
      b.id,
      a.id,
      "not-a-uuid",
      "00000000-0000-4000-8000-000000000000",
    ]);
    expect(Object.fromEntries(names)).toEqual({ [a.id]: a.username, [b.id]: b.username });
    expect((await usernamesByIds(pool, ["x"])).size).toBe(0);
  });
});
