import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import path from "node:path";
import type { Pool, PoolClient } from "../db/pool.server.ts";
import { transaction } from "../db/pool.server.ts";
import { dataDir } from "../paths.server.ts";
import { notify } from "../social/notifications.server.ts";
import { requireMayCast } from "./consent.server.ts";
import { CameoError, cameoNotFound } from "./errors.ts";

/**
 * The owner's review of drafts that include their cameo. An approval is bound to one version of
 * the draft: the sha256 of its video bytes, its prompt and the cameo ids it casts. The publish
 * transaction (`requirePublishConsent`) re-checks consent and the approval of that exact version.
 */

type Q = Pool | PoolClient;

const CAST_IDS_SQL = `
  SELECT DISTINCT m->>'cameoId' AS cameo_id
    FROM drafts d JOIN generation_jobs j ON j.workflow_id = d.workflow_id,
         LATERAL (
           SELECT jsonb_array_elements(coalesce(j.request->'cast', '[]'::jsonb)) AS m
           UNION ALL
           SELECT jsonb_array_elements(coalesce(s->'request'->'cast', '[]'::jsonb))
             FROM jsonb_array_elements(coalesce(j.request->'shots', '[]'::jsonb)) AS s
         ) cast_members
   WHERE d.id = $1 AND m ? 'cameoId'`;

/** The ids of the cameos a draft casts (from its generation request, every shot of a sequence). */
export async function draftCameoIds(q: Q, draftId: string): Promise<string[]> {
  const r = await q.query<{ cameo_id: string }>(CAST_IDS_SQL, [draftId]);
  return r.rows.map((x) => x.cameo_id).sort();
}

async function sha256File(file: string): Promise<Buffer> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest();
}

/** The version an approval is bound to: media bytes + prompt + cast cameos. */
export async function draftVersionHash(
  q: Q,
  draftId: string,
  root: string = dataDir(),
): Promise<string> {
  const r = await q.query<{ video_path: string; prompt: string }>(
    "SELECT video_path, prompt FROM drafts WHERE id = $1",
    [draftId],
  );
  const d = r.rows[0];
  if (!d) throw new CameoError("draft_not_found", "No such draft.", 404);
  const media = await sha256File(path.resolve(root, d.video_path)).catch(() => {
    throw new CameoError("draft_media_missing", "This draft's video is gone.", 409);
  });
  const ids = await draftCameoIds(q, draftId);
  return createHash("sha256")
    .update(media)
    .update("\0prompt\0")
    .update(d.prompt)
    .update("\0cast\0")
    .update(ids.join(","))
    .digest("hex");
}

export type ReviewState = "awaiting" | "approved" | "declined" | "stale";

export interface DraftForReview {
  draftId: string;
  cameoId: string;
  cameoName: string;
  createdBy: string;
  createdByUsername: string;
  prompt: string;
  posterPath: string;
  createdAt: string;
  state: ReviewState;
  postId: string | null;
}

/** "Cameos of me": every draft that casts one of my cameos, with my review state of its version. */
export async function draftsOfMe(
  pool: Pool,
  ownerId: string,
  root: string = dataDir(),
): Promise<DraftForReview[]> {
  const r = await pool.query<{
    draft_id: string;
    cameo_id: string;
    cameo_name: string;
    created_by: string;
    username: string;
    prompt: string;
    poster_path: string;
    created_at: Date;
    decision: "approved" | "declined" | null;
    version_hash: string | null;
    post_id: string | null;
  }>(
    `SELECT d.id AS draft_id, c.id AS cameo_id, c.name AS cameo_name, d.created_by, u.username, d.prompt,
            d.poster_path, d.created_at, rv.decision, rv.version_hash, p.id AS post_id
       FROM cameos c
       JOIN generation_jobs j ON j.request::text LIKE '%' || c.id::text || '%'
       JOIN drafts d ON d.workflow_id = j.workflow_id
       JOIN users u ON u.id = d.created_by
       LEFT JOIN cameo_draft_reviews rv ON rv.draft_id = d.id AND rv.cameo_id = c.id
       LEFT JOIN posts p ON p.draft_id = d.id AND p.status <> 'deleted'
      WHERE c.owner_id = $1 AND d.created_by <> $1
      ORDER BY d.created_at DESC LIMIT 200`,
    [ownerId],
  );
  const out: DraftForReview[] = [];
  for (const x of r.rows) {
    // The LIKE finds candidates fast; the exact cast list decides.
    if (!(await draftCameoIds(pool, x.draft_id)).includes(x.cameo_id)) continue;
    let state: ReviewState = "awaiting";
    if (x.decision === "declined") state = "declined";
    else if (x.decision === "approved")
      state =
        x.version_hash === (await draftVersionHash(pool, x.draft_id, root).catch(() => ""))
          ? "approved"
          : "stale";
    out.push({
      draftId: x.draft_id,
      cameoId: x.cameo_id,
      cameoName: x.cameo_name,
      createdBy: x.created_by,
      createdByUsername: x.username,
      prompt: x.prompt,
      posterPath: x.poster_path,
      createdAt: x.created_at.toISOString(),
      state,
      postId: x.post_id,
    });
  }
  return out;
}

/** The owner approves or declines one draft, bound to its current version; its maker is told. */
export async function reviewDraft(
  pool: Pool,
  ownerId: string,
  draftId: string,
  decision: "approved" | "declined",
  root: string = dataDir(),
): Promise<{ versionHash: string }> {
  return transaction(pool, async (c) => {
    const mine = await c.query<{ id: string; name: string }>(
      "SELECT id, name FROM cameos WHERE owner_id = $1 AND id = ANY($2::uuid[]) FOR SHARE",
      [ownerId, await draftCameoIds(c, draftId)],
    );
    if (mine.rowCount === 0) throw new CameoError("draft_not_found", "No such draft.", 404);
    const versionHash = await draftVersionHash(c, draftId, root);
    for (const cameo of mine.rows) {
      await c.query(
        `INSERT INTO cameo_draft_reviews (draft_id, cameo_id, decision, version_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT (draft_id, cameo_id) DO UPDATE SET decision = $3, version_hash = $4, decided_at = now()`,
        [draftId, cameo.id, decision, versionHash],
      );
    }
    const maker = await c.query<{ created_by: string }>(
      "SELECT created_by FROM drafts WHERE id = $1",
      [draftId],
    );
    await notify(c, {
      userId: maker.rows[0]!.created_by,
      actorId: ownerId,
      kind: decision === "approved" ? "cameo_draft_approved" : "cameo_draft_declined",
      payload: { draftId, cameo: mine.rows[0]!.name },
      dedupeKey: `cameo-review:${draftId}:${ownerId}:${decision}:${versionHash.slice(0, 16)}`,
    });
    return { versionHash };
  });
}

/** Tells each owner (once per draft) that a draft with their cameo waits for their review. */
export async function notifyAwaitingReview(q: Q, draftId: string): Promise<number> {
  const r = await q.query<{ owner_id: string; name: string; created_by: string }>(
    `SELECT c.owner_id, c.name, d.created_by FROM cameos c, drafts d
      WHERE c.id = ANY($2::uuid[]) AND d.id = $1 AND c.owner_id <> d.created_by`,
    [draftId, await draftCameoIds(q, draftId)],
  );
  let n = 0;
  for (const x of r.rows) {
    if (
      await notify(q, {
        userId: x.owner_id,
        actorId: x.created_by,
        kind: "cameo_review",
        payload: { draftId, cameo: x.name },
        dedupeKey: `cameo-review-wanted:${draftId}:${x.owner_id}`,
      })
    )
      n++;
  }
  return n;
}

/**
 * The publish gate, for use INSIDE the transaction that inserts the post: for every cameo the draft
 * casts, the cameo still exists, the draft's maker and the publisher may still cast it (locked, so
 * a revocation or unfollow racing this waits or is seen), and its owner approved this exact version.
 */
export async function requirePublishConsent(
  c: PoolClient,
  draftId: string,
  publisherId: string,
  root: string = dataDir(),
): Promise<{ cameos: string[] }> {
  const ids = await draftCameoIds(c, draftId);
  if (ids.length === 0) return { cameos: [] };
  const maker = await c.query<{ created_by: string }>(
    "SELECT created_by FROM drafts WHERE id = $1",
    [draftId],
  );
  const makerId = maker.rows[0]?.created_by;
  if (!makerId) throw cameoNotFound();
  const names: string[] = [];
  let version: string | undefined;
  for (const id of ids) {
    const people = [...new Set([makerId, publisherId])];
    let cameo: Awaited<ReturnType<typeof requireMayCast>> | undefined;
    for (const who of people) cameo = await requireMayCast(c, who, id, { lock: true });
    if (!cameo) continue;
    names.push(cameo.name);
    if (people.every((p) => p === cameo.ownerId)) continue;
    const rv = await c.query<{ decision: string; version_hash: string }>(
      "SELECT decision, version_hash FROM cameo_draft_reviews WHERE draft_id = $1 AND cameo_id = $2 FOR SHARE",
      [draftId, id],
    );
    const review = rv.rows[0];
    if (!review)
      throw new CameoError(
        "cameo_review_needed",
        `@${cameo.name} has not approved this draft yet; it is waiting on their "Cameos of me" page.`,
      );
    if (review.decision === "declined")
      throw new CameoError("cameo_review_declined", `@${cameo.name} declined this draft.`);
    version ??= await draftVersionHash(c, draftId, root);
    if (review.version_hash !== version)
      throw new CameoError(
        "cameo_review_stale",
        `This draft changed after @${cameo.name} approved it; they need to approve this version.`,
      );
  }
  return { cameos: names };
}
