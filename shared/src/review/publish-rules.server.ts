import { z } from "zod";
import { PUBLISH_RULES, type PublishRule } from "./rules.ts";

export { PUBLISH_RULE_TEXT, PUBLISH_RULES, type PublishRule } from "./rules.ts";

import type { Pool } from "../db/pool.server.ts";
import { memberRole, type Queryable } from "../workspaces/db.server.ts";
import { ForbiddenError, InvalidError, NotFoundError } from "../workspaces/errors.ts";
import type { Role } from "../workspaces/roles.ts";
import { type ReviewStatus, STATUS_LABELS } from "./status.ts";

/**
 * The workspace's publishing rules (migrations/0060_review_stacks.sql), stated here and enforced by
 * `publishRefusal`, which `checkPublish` calls — both when the web tier accepts a publish request
 * and again inside the publish workflow's checks step, so a setting changed in between still holds.
 *
 * - `requireApproval`: only a version whose status is "approved" may be published.
 * - `publishRule`: who may publish a draft a teammate made —
 *   `editors` any editor or owner, `owners` only owners, `creator` nobody but its maker.
 *   Whoever publishes, the post appears under the PUBLISHER's name.
 */
export type ReviewSettings = { requireApproval: boolean; publishRule: PublishRule };

const settingsSchema = z.object({
  requireApproval: z.boolean(),
  publishRule: z.enum(PUBLISH_RULES, {
    message: `The publishing rule is one of ${PUBLISH_RULES.join(", ")}.`,
  }),
});

export async function getReviewSettings(
  q: Queryable,
  workspaceId: string,
): Promise<ReviewSettings> {
  const r = await q.query<{ require_approval_to_publish: boolean; publish_rule: PublishRule }>(
    "SELECT require_approval_to_publish, publish_rule FROM workspaces WHERE id = $1",
    [workspaceId],
  );
  const row = r.rows[0];
  if (!row) throw new NotFoundError("workspace not found");
  return { requireApproval: row.require_approval_to_publish, publishRule: row.publish_rule };
}

/** Owners change the rules; anyone else in the workspace is refused, outsiders see nothing. */
export async function setReviewSettings(
  pool: Pool,
  actorId: string,
  workspaceId: string,
  input: unknown,
): Promise<ReviewSettings> {
  const role = await memberRole(pool, actorId, workspaceId);
  if (!role) throw new NotFoundError("workspace not found");
  if (role !== "owner") throw new ForbiddenError("only owners change the publishing rules");
  const p = settingsSchema.safeParse(input);
  if (!p.success) throw new InvalidError(p.error.issues[0]!.message);
  await pool.query(
    "UPDATE workspaces SET require_approval_to_publish = $2, publish_rule = $3 WHERE id = $1",
    [workspaceId, p.data.requireApproval, p.data.publishRule],
  );
  return p.data;
}

/**
 * Why this member may not publish this draft under the workspace's rules, or null if they may.
 * The role check itself (editor or owner) stays in checkPublish.
 */
export async function publishRefusal(
  q: Queryable,
  p: { draftId: string; userId: string; role: Role },
): Promise<string | null> {
  const r = await q.query<{
    created_by: string;
    require_approval_to_publish: boolean;
    publish_rule: PublishRule;
    status: ReviewStatus | null;
    number: number | null;
  }>(
    `SELECT d.created_by, w.require_approval_to_publish, w.publish_rule, v.status, v.number
       FROM drafts d JOIN projects pr ON pr.id = d.project_id JOIN workspaces w ON w.id = pr.workspace_id
       LEFT JOIN review_versions v ON v.draft_id = d.id
      WHERE d.id = $1`,
    [p.draftId],
  );
  const row = r.rows[0];
  if (!row) return "draft not found";
  if (row.created_by !== p.userId) {
    if (row.publish_rule === "creator")
      return "In this workspace only the person who made a draft may publish it.";
    if (row.publish_rule === "owners" && p.role !== "owner")
      return "In this workspace only owners may publish a teammate's draft.";
  }
  if (row.require_approval_to_publish && row.status !== "approved") {
    const v = row.number ? `v${row.number}` : "This draft";
    const s = row.status ? STATUS_LABELS[row.status].toLowerCase() : "not in review";
    return `This workspace publishes approved versions only: ${v} is ${s}.`;
  }
  return null;
}
