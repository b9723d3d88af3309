import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { runner } from "node-pg-migrate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../db/migrate.server.ts";
import { createPool, type Pool } from "../db/pool.server.ts";
import { createDatabase } from "../db/provision.server.ts";
import { migrationsDir } from "../paths.server.ts";
import { testDatabaseUrl, uniq } from "../testing/db.ts";
import { draftStoryboard, draftStyle } from "./posts.server.ts";
import { makeDraft, makeUser, type TestUser } from "./test-fixtures.ts";

/**
 * Migration 0034 fills posts.style and posts.storyboard of posts published before publish did, with
 * what draftStyle/draftStoryboard give for the same drafts. Its own database, migrated up to 0033,
 * holds the old posts; the real migrate() then applies 0034, as a deploy would.
 */
const MIGRATION = "0034_backfill_post_style_storyboard";
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

let url: string;
let pool: Pool;
let owner: TestUser;
let applied: string[];

const previz = (style: string) => ({ backend: "previz", spec: { style } });

async function draft(metadata: unknown = {}, kind: "clip" | "sequence" = "clip") {
  const d = await makeDraft(pool, owner);
  const r = await pool.query<{ workflow_id: string }>(
    "UPDATE drafts SET kind = $2, metadata = $3 WHERE id = $1 RETURNING workflow_id",
    [d.draftId, kind, JSON.stringify(metadata)],
  );
  return { ...d, workflowId: r.rows[0]!.workflow_id };
}

/** The sequence job a storyboard draft was rendered by; `requestJson` is the raw request text. */
async function sequenceJob(d: { workflowId: string; projectId: string }, requestJson: string) {
  await pool.query(
    `INSERT INTO generation_jobs (workflow_id, kind, project_id, user_id, backend, request, status)
     VALUES ($1, 'sequence', $2, $3, 'previz', $4::jsonb, 'succeeded')`,
    [d.workflowId, d.projectId, owner.id, requestJson],
  );
}

/** A post as publish wrote it before it filled style and storyboard. */
async function oldPost(
  draftId: string | null,
  set: { style?: string; storyboard?: unknown; status?: string } = {},
): Promise<string> {
  const r = await pool.query<{ id: string }>(
    `INSERT INTO posts (author_id, publish_workflow_id, draft_id, prompt, style, storyboard, status,
                        video_path, poster_path, download_path, duration_ms, width, height)
     VALUES ($1, $2, $3, 'a prompt', $4, $5, $6, 'v.mp4', 'p.jpg', 'd.mp4', 10000, 720, 1280)
     RETURNING id`,
    [
      owner.id,
      uniq("publish:"),
      draftId,
      set.style ?? null,
      set.storyboard === undefined ? null : JSON.stringify(set.storyboard),
      set.status ?? "published",
    ],
  );
  return r.rows[0]!.id;
}

async function post(id: string) {
  const r = await pool.query<{
    style: string | null;
    storyboard: unknown;
    draft_id: string | null;
  }>("SELECT style, storyboard, draft_id FROM posts WHERE id = $1", [id]);
  return r.rows[0]!;
}

const shot = (text: string, durationSeconds: unknown, kind: unknown, camera?: string) => ({
  shotId: uniq("s"),
  request: {
    prompt: { text, sections: camera === undefined ? {} : { camera } },
    durationSeconds,
    size: "720x1280",
  },
  transition: { kind, durationSeconds: 0.5 },
});

// Durations and transitions as publish's Number()/storyboardTransition see them, including values
// the sequence request schema would refuse today.
const edgeShots = [
  shot("a lighthouse at dusk", 6, "cut"),
  shot("waves crash on the rocks", 8, "dissolve", "slow push in"),
  shot("gulls", 90, "fadeblack", "x".repeat(250)),
  shot("a boat", "7", "wipeleft"),
  shot("the harbour", " 2.5 ", "slideleft"),
  shot("night falls", 0, "fade"),
  shot("stars", null, "dissolve"),
  shot("a lamp", true, 5),
  shot("fog", "abc", "cut"),
  shot("rain", "", "wiperight"),
  shot("y".repeat(4100), 4.5, "cut"),
  shot("thunder", "1e400", "cut"),
  shot("calm", "BIG", "cut"),
  { shotId: "no-request", transition: "cut" },
  { shotId: "text-not-a-string", request: { prompt: { text: 12 } } },
  42,
  null,
];

const ids: Record<string, string> = {};
const drafts: Record<string, string> = {};

beforeAll(async () => {
  url = await createDatabase(testDatabaseUrl(), uniq("backfill_"));
  const before = readdirSync(migrationsDir).filter((f) => f.endsWith(".sql") && f < MIGRATION);
  await runner({
    databaseUrl: url,
    dir: migrationsDir,
    direction: "up",
    migrationsTable: "pgmigrations",
    checkOrder: false,
    count: before.length,
    log: () => {},
    logger: quiet,
  });
  pool = createPool(url, 3);
  owner = await makeUser(pool);

  // A single previz clip.
  const clip = await draft(previz("  Noir "));
  drafts.clip = clip.draftId;
  ids.clip = await oldPost(clip.draftId);

  // A storyboard sequence: shots' drafts vintage, neon, neon (plus a shot id that is no uuid and
  // one whose draft is gone), and the sequence job's input with the edge cases above.
  const [a, b, c] = [
    await draft(previz("vintage")),
    await draft(previz("neon")),
    await draft(previz("neon")),
  ];
  const seq = await draft(
    {
      shots: [
        { shotId: "1", draftId: a.draftId },
        { shotId: "2", draftId: "not-a-uuid" },
        { shotId: "3", draftId: b.draftId },
        { shotId: "4", draftId: crypto.randomUUID() },
        { shotId: "5", draftId: c.draftId },
      ],
    },
    "sequence",
  );
  await sequenceJob(
    seq,
    // A number beyond the largest double (JSON.stringify cannot write it): Infinity to JavaScript.
    JSON.stringify({ shots: edgeShots }).replace('"BIG"', "1e400"),
  );
  drafts.seq = seq.draftId;
  ids.seq = await oldPost(seq.draftId);

  // A tie between its shots' styles (the earliest wins), and no sequence job (no storyboard).
  const [x, y] = [await draft(previz("documentary")), await draft(previz("cinematic"))];
  const tie = await draft(
    {
      shots: [
        { shotId: "1", draftId: x.draftId },
        { shotId: "2", draftId: y.draftId },
      ],
    },
    "sequence",
  );
  drafts.tie = tie.draftId;
  ids.tie = await oldPost(tie.draftId);

  // 101 shots: the storyboard keeps the first 100.
  const long = await draft({}, "sequence");
  await sequenceJob(
    long,
    JSON.stringify({ shots: Array.from({ length: 101 }, (_, i) => shot(`shot ${i}`, 4, "cut")) }),
  );
  drafts.long = long.draftId;
  ids.long = await oldPost(long.draftId);

  // Values already set.
  const styled = await draft(previz("noir"));
  ids.styleSet = await oldPost(styled.draftId, { style: "hand-set" });
  const boarded = await draft({ shots: [{ shotId: "1", draftId: a.draftId }] }, "sequence");
  await sequenceJob(boarded, JSON.stringify({ shots: edgeShots.slice(0, 2) }));
  drafts.boarded = boarded.draftId;
  ids.storyboardSet = await oldPost(boarded.draftId, {
    storyboard: [{ prompt: "kept", camera: "", durationSeconds: 5, transition: "cut", notes: "" }],
  });

  // Left alone: a deleted draft, a draft without metadata, a post its owner deleted.
  const gone = await draft(previz("noir"));
  ids.draftGone = await oldPost(gone.draftId);
  await pool.query("DELETE FROM drafts WHERE id = $1", [gone.draftId]);
  const plain = await makeDraft(pool, owner);
  ids.noMetadata = await oldPost(plain.draftId);
  ids.deleted = await oldPost(seq.draftId, { status: "deleted" });

  applied = await migrate(url);
});

afterAll(async () => {
  await pool?.end();
});

describe("migration 0034: old posts get the style and storyboard publish gives new ones", () => {
  it("is applied by migrate() on a database at 0033", () => {
    expect(applied[0]).toBe(MIGRATION);
  });

  it("a previz clip's post gets its spec's style, as draftStyle gives it, and no storyboard", async () => {
    const p = await post(ids.clip!);
    expect(p.style).toBe("noir");
    expect(p.style).toBe(await draftStyle(pool, drafts.clip!));
    expect(p.storyboard).toBeNull();
    expect(await draftStoryboard(pool, drafts.clip!)).toBeNull();
  });

  it("a storyboard sequence's post gets its shots' most common style and the job's shots, as draftStyle/draftStoryboard give them", async () => {
    const p = await post(ids.seq!);
    expect(p.style).toBe("neon");
    expect(p.style).toBe(await draftStyle(pool, drafts.seq!));
    const expected = await draftStoryboard(pool, drafts.seq!);
    expect(p.storyboard).toEqual(expected);
    const board = p.storyboard as NonNullable<typeof expected>;
    expect(board.map((s) => s.durationSeconds)).toEqual([
      6, 8, 60, 7, 2.5, 1, 1, 1, 4, 1, 4.5, 4, 4, 4, 4, 4, 4,
    ]);
    expect(board.map((s) => s.transition)).toEqual([
      "cut",
      "dissolve",
      "fade",
      "wipe",
      "wipe",
      "fade",
      "dissolve",
      "cut",
      "cut",
      "wipe",
      "cut",
      "cut",
      "cut",
      "cut",
      "cut",
      "cut",
      "cut",
    ]);
    expect(board[1]).toEqual({
      prompt: "waves crash on the rocks",
      camera: "slow push in",
      durationSeconds: 8,
      transition: "dissolve",
      notes: "",
    });
    expect(board[2]!.camera).toHaveLength(200);
    expect(board[10]!.prompt).toHaveLength(4000);
  });

  it("a tie between shot styles goes to the earliest shot; without a sequence job there is no storyboard", async () => {
    const p = await post(ids.tie!);
    expect(p.style).toBe("documentary");
    expect(p.style).toBe(await draftStyle(pool, drafts.tie!));
    expect(p.storyboard).toBeNull();
    expect(await draftStoryboard(pool, drafts.tie!)).toBeNull();
  });

  it("a storyboard keeps the first 100 shots, as draftStoryboard does", async () => {
    const p = await post(ids.long!);
    expect(p.storyboard).toHaveLength(100);
    expect(p.storyboard).toEqual(await draftStoryboard(pool, drafts.long!));
  });

  it("never replaces a value already set, and fills the other one", async () => {
    expect((await post(ids.styleSet!)).style).toBe("hand-set");
    const p = await post(ids.storyboardSet!);
    expect(p.storyboard).toEqual([
      { prompt: "kept", camera: "", durationSeconds: 5, transition: "cut", notes: "" },
    ]);
    expect(p.style).toBe("vintage");
    expect(p.style).toBe(await draftStyle(pool, drafts.boarded!));
  });

  it("leaves alone posts whose draft was deleted, drafts without metadata and deleted posts", async () => {
    for (const key of ["draftGone", "noMetadata", "deleted"]) {
      const p = await post(ids[key]!);
      expect({ key, style: p.style, storyboard: p.storyboard }).toEqual({
        key,
        style: null,
        storyboard: null,
      });
    }
    expect((await post(ids.draftGone!)).draft_id).toBeNull();
  });

  it("running it a second time changes nothing", async () => {
    const snapshot = () =>
      pool.query("SELECT to_jsonb(p) AS row FROM posts p ORDER BY id").then((r) => r.rows);
    const before = await snapshot();
    const file = readFileSync(path.join(migrationsDir, `${MIGRATION}.sql`), "utf8");
    const up = file.slice(0, file.search(/^\s*--[\s-]*down\s+migration/im));
    const results = (await pool.query(up)) as unknown as { command: string; rowCount: number }[];
    const updates = results.filter((r) => r.command === "UPDATE");
    expect(updates.map((r) => r.rowCount)).toEqual([0, 0]);
    expect(await snapshot()).toEqual(before);
    expect(await migrate(url)).toEqual([]);
  });
});
