import type { Pool, PoolClient } from "../db/pool.server.ts";
import { isUuid, projectRole, type Queryable } from "../workspaces/db.server.ts";
import { ForbiddenError, NotFoundError } from "../workspaces/errors.ts";
import { atLeast, type Role } from "../workspaces/roles.ts";
import { stackKeyFor } from "./stack-key.ts";
import type { ReviewStatus } from "./status.ts";

/**
 * Version stacks (migrations/0060_review_stacks.sql): every draft is a numbered version of one
 * review item. `stackDraft` runs inside the transaction that stores a draft, so a draft never
 * exists without its version; it is idempotent (a retried store step stacks nothing twice).
 */

export type VersionView = {
  draftId: string;
  number: number;
  label: string;
  current: boolean;
  kind: "clip" | "sequence";
  prompt: string;
  createdAt: Date;
  createdBy: { id: string; username: string };
  durationMs: number;
  width: number;
  height: number;
  status: ReviewStatus;
  statusBy: { id: string | null; name: string; guest: boolean } | null;
  statusAt: Date | null;
};

export type StackView = {
  itemId: string;
  projectId: string;
  workspaceId: string;
  itemKey: string;
  title: string;
  currentDraftId: string | null;
  /** Oldest first: versions[0] is v1. */
  versions: VersionView[];
};

export function itemTitle(itemKey: string): string {
  if (itemKey === "sequence") return "Sequence";
  if (itemKey === "prompt") return "Prompt clip";
  return `Shot ${itemKey.slice("shot:".length)}`;
}

/**
 * Stacks a stored draft as the next version of its item and makes it current. Notifies the
 * workspace's owners and editors (except its maker) that a version awaits review.
 */
export async function stackDraft(
  c: PoolClient,
  draftId: string,
): Promise<{ itemId: string; number: number }> {
  const d = (
    await c.query<{
      project_id: string;
      created_by: string;
      kind: "clip" | "sequence";
      shot_id: string | null;
      metadata: unknown;
    }>("SELECT project_id, created_by, kind, shot_id, metadata FROM drafts WHERE id = $1", [
      draftId,
    ])
  ).rows[0];
  if (!d) throw new NotFoundError("draft not found");
  const existing = await c.query<{ item_id: string; number: number }>(
    "SELECT item_id, number FROM review_versions WHERE draft_id = $1",
    [draftId],
  );
  if (existing.rows[0])
    return { itemId: existing.rows[0].item_id, number: existing.rows[0].number };

  const key = stackKeyFor({ kind: d.kind, shotId: d.shot_id, metadata: d.metadata });
  let itemId: string | null = null;
  if (key.by === "source") {
    // The source must be a version in the same project; otherwise the edit is stacked by its kind.
    const s = await c.query<{ item_id: string }>(
      `SELECT v.item_id FROM review_versions v JOIN review_items i ON i.id = v.item_id
        WHERE v.draft_id = $1 AND i.project_id = $2`,
      [key.sourceDraftId, d.project_id],
    );
    itemId = s.rows[0]?.item_id ?? null;
  }
  if (!itemId) {
    const k =
      key.by === "key" ? key : stackKeyFor({ kind: d.kind, shotId: d.shot_id, metadata: {} });
    if (k.by !== "key") throw new Error("unreachable");
    const ins = await c.query<{ id: string }>(
      `INSERT INTO review_items (project_id, item_key, kind) VALUES ($1, $2, $3)
       ON CONFLICT (project_id, item_key) DO UPDATE SET item_key = EXCLUDED.item_key RETURNING id`,
      [d.project_id, k.itemKey, k.kind],
    );
    itemId = ins.rows[0]!.id;
  }
  // Numbers are handed out one at a time per item (two renders finishing together get v3 and v4).
  await c.query("SELECT id FROM review_items WHERE id = $1 FOR UPDATE", [itemId]);
  const next = await c.query<{ n: number }>(
    "SELECT coalesce(max(number), 0) + 1 AS n FROM review_versions WHERE item_id = $1",
    [itemId],
  );
  const number = next.rows[0]!.n;
  await c.query("INSERT INTO review_versions (draft_id, item_id, number) VALUES ($1, $2, $3)", [
    draftId,
    itemId,
    number,
  ]);
  await c.query("UPDATE review_items SET current_draft_id = $2 WHERE id = $1", [itemId, draftId]);
  await c.query(
    `INSERT INTO notifications (user_id, kind, payload, dedupe_key)
     SELECT m.user_id, 'review.version',
            jsonb_build_object('projectId', $2::uuid, 'draftId', $1::uuid, 'number', $4::int, 'actorId', $3::uuid),
            'review.version:' || $1::text || ':' || m.user_id::text
       FROM projects p JOIN workspace_members m ON m.workspace_id = p.workspace_id
      WHERE p.id = $2 AND m.role IN ('owner', 'editor') AND m.user_id <> $3
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [draftId, d.project_id, d.created_by, number],
  );
  return { itemId, number };
}

type VersionRow = {
  item_id: string;
  project_id: string;
  workspace_id: string;
  item_key: string;
  current_draft_id: string | null;
  draft_id: string;
  number: number;
  kind: "clip" | "sequence";
  prompt: string;
  created_at: Date;
  created_by: string;
  username: string;
  duration_ms: number;
  width: number;
  height: number;
  status: ReviewStatus;
  status_by: string | null;
  status_by_name: string | null;
  status_by_guest: string | null;
  status_at: Date | null;
};

/** The whole stack of an item, no access check (callers check: members by role, guests by link). */
export async function loadStack(q: Queryable, itemId: string): Promise<StackView | null> {
  if (!isUuid(itemId)) return null;
  const r = await q.query<VersionRow>(
    `SELECT i.id AS item_id, i.project_id, p.workspace_id, i.item_key, i.current_draft_id,
            v.draft_id, v.number, d.kind, d.prompt, d.created_at, d.created_by, u.username,
            d.duration_ms, d.width, d.height, v.status, v.status_by, su.username AS status_by_name,
            v.status_by_guest, v.status_at
       FROM review_items i JOIN projects p ON p.id = i.project_id
       JOIN review_versions v ON v.item_id = i.id
       JOIN drafts d ON d.id = v.draft_id
       JOIN users u ON u.id = d.created_by
       LEFT JOIN users su ON su.id = v.status_by
      WHERE i.id = $1 ORDER BY v.number`,
    [itemId],
  );
  const first = r.rows[0];
  if (!first) return null;
  return {
    itemId: first.item_id,
    projectId: first.project_id,
    workspaceId: first.workspace_id,
    itemKey: first.item_key,
    title: itemTitle(first.item_key),
    currentDraftId: first.current_draft_id,
    versions: r.rows.map((v) => ({
      draftId: v.draft_id,
      number: v.number,
      label: `v${v.number}`,
      current: v.draft_id === first.current_draft_id,
      kind: v.kind,
      prompt: v.prompt,
      createdAt: v.created_at,
      createdBy: { id: v.created_by, username: v.username },
      durationMs: v.duration_ms,
      width: v.width,
      height: v.height,
      status: v.status,
      statusBy: v.status_at
        ? v.status_by_guest
          ? { id: null, name: v.status_by_guest, guest: true }
          : { id: v.status_by, name: v.status_by_name ?? "former member", guest: false }
        : null,
      statusAt: v.status_at,
    })),
  };
}

/** The item a version (draft) belongs to, or null for an unknown or malformed id. */
export async function itemOfDraft(q: Queryable, draftId: string): Promise<string | null> {
  if (!isUuid(draftId)) return null;
  const r = await q.query<{ item_id: string }>(
    "SELECT item_id FROM review_versions WHERE draft_id = $1",
    [draftId],
  );
  return r.rows[0]?.item_id ?? null;
}

/** A member's view of the stack a version belongs to; not-found for anyone outside the workspace. */
export async function getStackForMember(
  q: Queryable,
  actorId: string,
  draftId: string,
): Promise<{ stack: StackView; role: Role }> {
  const itemId = await itemOfDraft(q, draftId);
  const stack = itemId ? await loadStack(q, itemId) : null;
  if (!stack) throw new NotFoundError("version not found");
  const access = await projectRole(q, actorId, stack.projectId);
  if (!access) throw new NotFoundError("version not found");
  return { stack, role: access.role };
}

/** The project's stacks (newest activity first) for a member. */
export async function listStacks(pool: Pool, actorId: string, projectId: string) {
  const access = await projectRole(pool, actorId, projectId);
  if (!access) throw new NotFoundError("project not found");
  const r = await pool.query<{ id: string }>(
    `SELECT i.id FROM review_items i
       JOIN review_versions v ON v.item_id = i.id
      WHERE i.project_id = $1 GROUP BY i.id ORDER BY max(v.created_at) DESC`,
    [projectId],
  );
  const stacks: StackView[] = [];
  for (const row of r.rows) {
    const s = await loadStack(pool, row.id);
    if (s) stacks.push(s);
  }
  return stacks;
}

/** Makes a version the current one of its stack (editors and owners). Nothing is removed. */
export async function makeCurrent(pool: Pool, actorId: string, draftId: string): Promise<void> {
  const { stack, role } = await getStackForMember(pool, actorId, draftId);
  if (!atLeast(role, "editor"))
    throw new ForbiddenError("choosing the current version needs the editor role");
  await pool.query("UPDATE review_items SET current_draft_id = $2 WHERE id = $1", [
    stack.itemId,
    draftId,
  ]);
}
