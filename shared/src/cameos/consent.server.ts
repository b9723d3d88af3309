import type { Pool, PoolClient } from "../db/pool.server.ts";
import { CameoError } from "./errors.ts";
import { checkInstructions } from "./instructions.ts";
import {
  type CameoStatus,
  type CastFacts,
  type GrantStatus,
  MAX_CAMEOS_PER_SHOT,
  mayCast,
  type WhoMayCast,
} from "./rules.ts";

/**
 * Loads the facts of the consent rule (rules.ts) from the database and asks it. The same code runs
 * when a cast is made, when a render starts and inside the publish transaction; there, `lock`
 * takes FOR SHARE locks on the cameo, the caster's grant and both follow rows, so a revocation, a
 * settings change, an unfollow or a deletion that races the publish waits for it to commit, or
 * lands first and is seen.
 */

type Q = Pool | PoolClient;

export interface CameoRef {
  id: string;
  name: string;
  ownerId: string;
  ownerUsername: string;
  kind: "person" | "pet" | "object";
  instructions: string;
}

interface FactRow {
  id: string;
  name: string;
  owner_id: string;
  owner_username: string;
  kind: CameoRef["kind"];
  status: CameoStatus;
  who_may_cast: WhoMayCast;
  instructions: string;
  owner_minor: boolean;
}

/** A user is a minor when their birthdate says under 18 today (or the account is flagged so). */
const MINOR_SQL = (alias: string) =>
  `(${alias}.is_minor OR ${alias}.birthdate > (now() AT TIME ZONE 'UTC')::date - interval '18 years')`;

const CAMEO_SELECT = `SELECT c.id, c.name, c.owner_id, u.username AS owner_username, c.kind, c.status,
        c.who_may_cast, c.instructions, ${MINOR_SQL("u")} AS owner_minor
   FROM cameos c JOIN users u ON u.id = c.owner_id`;

const toRef = (r: FactRow): CameoRef => ({
  id: r.id,
  name: r.name,
  ownerId: r.owner_id,
  ownerUsername: r.owner_username,
  kind: r.kind,
  instructions: r.instructions,
});

export async function isMinorUser(q: Q, userId: string): Promise<boolean> {
  const r = await q.query<{ minor: boolean }>(
    `SELECT ${MINOR_SQL("u")} AS minor FROM users u WHERE u.id = $1`,
    [userId],
  );
  return r.rows[0]?.minor ?? false;
}

async function facts(q: Q, casterId: string, row: FactRow, lock: boolean): Promise<CastFacts> {
  const share = lock ? " FOR SHARE" : "";
  // One after another: on a transaction's client, queries run in order anyway.
  const grant = await q.query<{ status: GrantStatus }>(
    `SELECT status FROM cameo_grants WHERE cameo_id = $1 AND grantee_id = $2${share}`,
    [row.id, casterId],
  );
  const follows = await q.query(
    `SELECT follower_id FROM follows
      WHERE (follower_id = $1 AND followee_id = $2) OR (follower_id = $2 AND followee_id = $1)${share}`,
    [casterId, row.owner_id],
  );
  const blocked = await q.query(
    "SELECT 1 FROM blocks WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)",
    [casterId, row.owner_id],
  );
  const casterMinor = await isMinorUser(q, casterId);
  return {
    casterId,
    casterIsMinor: casterMinor,
    ownerId: row.owner_id,
    ownerIsMinor: row.owner_minor,
    cameoName: row.name,
    cameoStatus: row.status,
    whoMayCast: row.who_may_cast,
    grant: grant.rows[0]?.status ?? null,
    mutual: follows.rowCount === 2,
    blocked: (blocked.rowCount ?? 0) > 0,
  };
}

/**
 * The cameo a cast member names: by id, or by name (a person's username, a pet's or object's
 * name). Null when the name has no cameo (a role given to a person who never recorded one puts
 * nothing of them in the video).
 */
export async function findCameo(
  q: Q,
  member: { cameoId?: string; username?: string },
): Promise<CameoRef | null> {
  if (member.cameoId) {
    const r = await q.query<FactRow>(`${CAMEO_SELECT} WHERE c.id = $1`, [member.cameoId]);
    if (!r.rows[0])
      throw new CameoError(
        "cameo_deleted",
        "A cameo cast in this video was deleted by its owner.",
        403,
      );
    return toRef(r.rows[0]);
  }
  if (!member.username) return null;
  const name = member.username.replace(/^@/, "");
  const r = await q.query<FactRow>(
    `${CAMEO_SELECT} WHERE (c.kind = 'person' AND lower(u.username) = lower($1))
        OR (c.kind <> 'person' AND lower(c.name) = lower($1))`,
    [name],
  );
  const person = r.rows.find((x) => x.kind === "person");
  if (person) return toRef(person);
  if (r.rows.length > 1)
    throw new CameoError(
      "cameo_ambiguous",
      `Several cameos are called @${name}; pick one in the casting panel.`,
      400,
    );
  return r.rows[0] ? toRef(r.rows[0]) : null;
}

/** Asks the rule for one caster and one cameo id; throws the rule's refusal. */
export async function requireMayCast(
  q: Q,
  casterId: string,
  cameoId: string,
  opts: { lock?: boolean; prompt?: string } = {},
): Promise<CameoRef> {
  const r = await q.query<FactRow>(
    `${CAMEO_SELECT} WHERE c.id = $1${opts.lock ? " FOR SHARE OF c" : ""}`,
    [cameoId],
  );
  const row = r.rows[0];
  if (!row)
    throw new CameoError("cameo_deleted", "A cameo cast in this video was deleted by its owner.");
  const verdict = mayCast(await facts(q, casterId, row, opts.lock === true));
  if (!verdict.ok) throw new CameoError(verdict.code, verdict.reason);
  if (opts.prompt !== undefined && casterId !== row.owner_id) {
    const i = checkInstructions(row.name, row.instructions, opts.prompt);
    if (!i.ok) throw new CameoError("cameo_instructions", i.reason);
  }
  return toRef(row);
}

export type CastMember = {
  role: string;
  username?: string;
  cameoId?: string;
  description?: string;
};

/**
 * Casting and render start: resolves every cast member to its cameo, checks the per-shot limit,
 * consent and the owners' instructions against the prompt, and returns the cast with each cameo's
 * id filled in (so a later deletion of that cameo is noticed at publish).
 */
export async function resolveCast(
  q: Q,
  casterId: string,
  cast: readonly CastMember[],
  prompt: string,
): Promise<{ cast: CastMember[]; cameos: CameoRef[] }> {
  const out: CastMember[] = [];
  const cameos = new Map<string, CameoRef>();
  for (const m of cast) {
    const found = await findCameo(q, m);
    if (!found) {
      out.push(m);
      continue;
    }
    const ok = await requireMayCast(q, casterId, found.id, { prompt });
    cameos.set(ok.id, ok);
    out.push({ ...m, cameoId: ok.id });
  }
  if (cameos.size > MAX_CAMEOS_PER_SHOT)
    throw new CameoError(
      "cameo_too_many",
      `A shot can cast at most ${MAX_CAMEOS_PER_SHOT} cameos; this one casts ${cameos.size}.`,
      400,
    );
  return { cast: out, cameos: [...cameos.values()] };
}
