import { rm } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Pool } from "../db/pool.server.ts";
import { transaction } from "../db/pool.server.ts";
import { dataDir } from "../paths.server.ts";
import { notify } from "../social/notifications.server.ts";
import { isMinorUser } from "./consent.server.ts";
import { CameoError, cameoNotFound } from "./errors.ts";
import {
  allowedSettings,
  type CameoStatus,
  type GrantStatus,
  type WhoMayCast,
  whoMayCastValues,
} from "./rules.ts";

/**
 * Cameos and the owner's controls: create, settings (who may cast, instructions), requests to cast
 * (request → approve/decline), revocation (cancels the person's queued renders at once) and
 * deletion (every row and every file under cameos/<id>/).
 */

export type CameoKind = "person" | "pet" | "object";

export interface CameoView {
  id: string;
  ownerId: string;
  kind: CameoKind;
  name: string;
  status: CameoStatus;
  statusReason: string | null;
  whoMayCast: WhoMayCast;
  instructions: string;
  stage: string;
  progress: number;
  dir: string;
  createdAt: string;
}

type Row = {
  id: string;
  owner_id: string;
  kind: CameoKind;
  name: string;
  status: CameoStatus;
  status_reason: string | null;
  who_may_cast: WhoMayCast;
  instructions: string;
  stage: string;
  progress: number;
  dir: string;
  created_at: Date;
};
const COLS =
  "id, owner_id, kind, name, status, status_reason, who_may_cast, instructions, stage, progress, dir, created_at";
const toView = (r: Row): CameoView => ({
  id: r.id,
  ownerId: r.owner_id,
  kind: r.kind,
  name: r.name,
  status: r.status,
  statusReason: r.status_reason,
  whoMayCast: r.who_may_cast,
  instructions: r.instructions,
  stage: r.stage,
  progress: r.progress,
  dir: r.dir,
  createdAt: r.created_at.toISOString(),
});

export const settingsSchema = z.object({
  whoMayCast: z.enum(whoMayCastValues, {
    message: "Choose who may cast you: only me, people I approve, mutuals or everyone.",
  }),
  instructions: z
    .string()
    .max(300, "Instructions can be at most 300 characters.")
    .transform((s) => s.trim()),
});
export type CameoSettings = z.infer<typeof settingsSchema>;

const nameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.]{2,30}$/, "A name is 2-30 letters, digits, dots or underscores.");

export async function getCameo(pool: Pool, id: string): Promise<CameoView | null> {
  if (!z.string().uuid().safeParse(id).success) return null;
  const r = await pool.query<Row>(`SELECT ${COLS} FROM cameos WHERE id = $1`, [id]);
  return r.rows[0] ? toView(r.rows[0]) : null;
}

export async function myCameos(pool: Pool, ownerId: string): Promise<CameoView[]> {
  const r = await pool.query<Row>(
    `SELECT ${COLS} FROM cameos WHERE owner_id = $1 ORDER BY kind = 'person' DESC, created_at`,
    [ownerId],
  );
  return r.rows.map(toView);
}

/** The owner's cameo, or not found (someone else's id reveals nothing). */
export async function requireOwnCameo(pool: Pool, ownerId: string, id: string) {
  const c = await getCameo(pool, id);
  if (!c || c.ownerId !== ownerId) throw cameoNotFound();
  return c;
}

/**
 * A new cameo row in "processing" (its recording is validated and stored by upload.server.ts).
 * A person has one cameo, named by their username; a retake replaces its recording.
 */
export async function createCameo(
  pool: Pool,
  ownerId: string,
  input: { kind: CameoKind; name?: string },
): Promise<CameoView> {
  const kind = z.enum(["person", "pet", "object"]).parse(input.kind);
  let name: string;
  if (kind === "person") {
    const u = await pool.query<{ username: string }>("SELECT username FROM users WHERE id = $1", [
      ownerId,
    ]);
    name = u.rows[0]!.username;
  } else {
    const parsed = nameSchema.safeParse(input.name);
    if (!parsed.success) throw new CameoError("invalid", parsed.error.issues[0]!.message, 400);
    name = parsed.data;
  }
  try {
    const r = await pool.query<Row>(
      `INSERT INTO cameos (owner_id, kind, name, dir)
       VALUES ($1, $2, $3, 'cameos/' || gen_random_uuid()) RETURNING ${COLS}`,
      [ownerId, kind, name],
    );
    // The folder is named by the row's id (one place to remove on delete).
    const row = r.rows[0]!;
    await pool.query("UPDATE cameos SET dir = $2 WHERE id = $1", [row.id, `cameos/${row.id}`]);
    return toView({ ...row, dir: `cameos/${row.id}` });
  } catch (err) {
    if ((err as { code?: string }).code === "23505")
      throw new CameoError(
        "conflict",
        kind === "person"
          ? "You already have a cameo; retake it instead."
          : `You already have a cameo called ${name}.`,
        409,
      );
    throw err;
  }
}

/** Who may cast me and my instructions. A minor's cameo can never be open to everyone. */
export async function updateSettings(
  pool: Pool,
  ownerId: string,
  cameoId: string,
  input: unknown,
): Promise<CameoView> {
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) throw new CameoError("invalid", parsed.error.issues[0]!.message, 400);
  await requireOwnCameo(pool, ownerId, cameoId);
  const minor = await isMinorUser(pool, ownerId);
  if (!allowedSettings(minor).includes(parsed.data.whoMayCast))
    throw new CameoError(
      "minor_everyone",
      "Cameos of people under 18 cannot be open to everyone; choose mutuals, people you approve or only you.",
      400,
    );
  const r = await pool.query<Row>(
    `UPDATE cameos SET who_may_cast = $2, instructions = $3 WHERE id = $1 RETURNING ${COLS}`,
    [cameoId, parsed.data.whoMayCast, parsed.data.instructions],
  );
  return toView(r.rows[0]!);
}

export interface GrantView {
  cameoId: string;
  granteeId: string;
  username: string;
  status: GrantStatus;
  requestedAt: string;
}

export async function grantsOf(pool: Pool, ownerId: string, cameoId: string): Promise<GrantView[]> {
  await requireOwnCameo(pool, ownerId, cameoId);
  const r = await pool.query<{
    cameo_id: string;
    grantee_id: string;
    username: string;
    status: GrantStatus;
    requested_at: Date;
  }>(
    `SELECT g.cameo_id, g.grantee_id, u.username, g.status, g.requested_at
       FROM cameo_grants g JOIN users u ON u.id = g.grantee_id
      WHERE g.cameo_id = $1 ORDER BY g.status = 'pending' DESC, g.requested_at DESC`,
    [cameoId],
  );
  return r.rows.map((x) => ({
    cameoId: x.cameo_id,
    granteeId: x.grantee_id,
    username: x.username,
    status: x.status,
    requestedAt: x.requested_at.toISOString(),
  }));
}

/** A person asks to cast a cameo set to "people I approve"; its owner is notified once. */
export async function requestToCast(
  pool: Pool,
  requesterId: string,
  cameoId: string,
): Promise<GrantStatus> {
  const c = await getCameo(pool, cameoId);
  if (c?.status !== "ready") throw cameoNotFound();
  if (c.ownerId === requesterId)
    throw new CameoError("invalid", "You can always cast your own cameo.", 400);
  if (c.whoMayCast !== "approved")
    throw new CameoError(
      "cameo_not_requestable",
      `@${c.name} does not take requests; their cameo is set to ${c.whoMayCast.replace("_", " ")}.`,
      409,
    );
  return transaction(pool, async (q) => {
    const r = await q.query<{ status: GrantStatus }>(
      `INSERT INTO cameo_grants (cameo_id, grantee_id, status) VALUES ($1, $2, 'pending')
       ON CONFLICT (cameo_id, grantee_id) DO UPDATE SET status = cameo_grants.status
       RETURNING status`,
      [cameoId, requesterId],
    );
    const status = r.rows[0]!.status;
    if (status === "pending")
      await notify(q, {
        userId: c.ownerId,
        actorId: requesterId,
        kind: "cameo_request",
        payload: { cameoId, cameo: c.name },
        dedupeKey: `cameo-request:${cameoId}:${requesterId}`,
      });
    return status;
  });
}

async function granteeId(pool: Pool, username: string): Promise<string> {
  const u = await pool.query<{ id: string }>(
    "SELECT id FROM users WHERE lower(username) = lower($1)",
    [username.replace(/^@/, "")],
  );
  if (!u.rows[0]) throw new CameoError("not_found", "No such person.", 404);
  return u.rows[0].id;
}

/** The owner answers a pending request; the requester is notified. */
export async function decideRequest(
  pool: Pool,
  ownerId: string,
  cameoId: string,
  username: string,
  decision: "approved" | "declined",
): Promise<void> {
  const c = await requireOwnCameo(pool, ownerId, cameoId);
  const who = await granteeId(pool, username);
  await transaction(pool, async (q) => {
    const r = await q.query(
      `UPDATE cameo_grants SET status = $3, decided_at = now()
        WHERE cameo_id = $1 AND grantee_id = $2 AND status = 'pending'`,
      [cameoId, who, decision],
    );
    if (r.rowCount === 0)
      throw new CameoError("not_found", `@${username} has no pending request.`, 404);
    await notify(q, {
      userId: who,
      actorId: ownerId,
      kind: decision === "approved" ? "cameo_request_approved" : "cameo_request_declined",
      payload: { cameoId, cameo: c.name },
      dedupeKey: `cameo-decision:${cameoId}:${who}:${decision}:${Date.now()}`,
    });
  });
}

/**
 * Revokes a person at once, under every setting: the cameo row is locked (a publish transaction
 * holding it waits for this, or this waits for it), their queued and running renders that cast
 * the cameo are marked cancelled and returned so the caller cancels their workflows; their
 * unpublished drafts fail the publish gate from now on.
 */
export async function revoke(
  pool: Pool,
  ownerId: string,
  cameoId: string,
  username: string,
): Promise<{ cancelled: string[] }> {
  await requireOwnCameo(pool, ownerId, cameoId);
  const who = await granteeId(pool, username);
  if (who === ownerId) throw new CameoError("invalid", "You cannot revoke yourself.", 400);
  return transaction(pool, async (q) => {
    await q.query("SELECT id FROM cameos WHERE id = $1 FOR UPDATE", [cameoId]);
    await q.query(
      `INSERT INTO cameo_grants (cameo_id, grantee_id, status, decided_at) VALUES ($1, $2, 'revoked', now())
       ON CONFLICT (cameo_id, grantee_id) DO UPDATE SET status = 'revoked', decided_at = now()`,
      [cameoId, who],
    );
    const jobs = await q.query<{ workflow_id: string }>(
      `UPDATE generation_jobs SET status = 'cancelled', stage = 'cancelled', finished_at = now(),
              error_code = 'cameo_revoked', error = 'A person cast in this render revoked their consent.'
        WHERE user_id = $1 AND status IN ('queued', 'running') AND request::text LIKE '%' || $2 || '%'
        RETURNING workflow_id`,
      [who, cameoId],
    );
    return { cancelled: jobs.rows.map((j) => j.workflow_id) };
  });
}

/**
 * Deletes a cameo: its row (cascading grants and reviews), then every file under its folder —
 * the recording, the likeness kit, the voice and any cache. Drafts that cast it can no longer be
 * published (the publish gate finds its id gone). Returns the running workflow to cancel, if any.
 */
export async function deleteCameo(
  pool: Pool,
  ownerId: string,
  cameoId: string,
  root: string = dataDir(),
): Promise<{ workflowId: string | null; dir: string }> {
  const c = await requireOwnCameo(pool, ownerId, cameoId);
  const wf = await transaction(pool, async (q) => {
    const r = await q.query<{ workflow_id: string | null; dir: string }>(
      "DELETE FROM cameos WHERE id = $1 RETURNING workflow_id, dir",
      [cameoId],
    );
    return r.rows[0]!;
  });
  const abs = path.resolve(root, wf.dir);
  if (!abs.startsWith(path.resolve(root, "cameos") + path.sep))
    throw new Error(`refusing to remove ${abs}: not a cameo folder`);
  await rm(abs, { recursive: true, force: true });
  return { workflowId: wf.workflow_id, dir: c.dir };
}
