import { randomInt } from "node:crypto";
import type { Pool, PoolClient } from "../db/pool.server.ts";
import { AccountError } from "./errors.ts";
import { inviteCodeSchema } from "./validation.ts";

/** Codes use an alphabet without look-alikes (no 0/O, 1/I/L), 10 characters: ~48 bits. */
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const INVITES_PER_USER = 4;

export function generateInviteCode(): string {
  let code = "";
  for (let i = 0; i < 10; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** Stored codes are bare; people see them as XXXXX-XXXXX. */
export function formatInviteCode(code: string): string {
  return code.length === 10 ? `${code.slice(0, 5)}-${code.slice(5)}` : code;
}

/** Normalises what a person typed (case, dashes, spaces); throws invite_unknown if hopeless. */
export function normaliseInviteCode(input: string): string {
  const parsed = inviteCodeSchema.safeParse(input);
  if (!parsed.success)
    throw new AccountError("invite_unknown", parsed.error.issues[0]!.message, "inviteCode");
  if (parsed.data.length === 0)
    throw new AccountError("invite_required", "Enter your invite code.", "inviteCode");
  return parsed.data;
}

type Db = Pool | PoolClient;

export async function issueInvites(
  db: Db,
  ownerId: string | null,
  count = INVITES_PER_USER,
): Promise<string[]> {
  const codes: string[] = [];
  while (codes.length < count) {
    const code = generateInviteCode();
    const res = await db.query(
      "INSERT INTO invite_codes (code, owner_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
      [code, ownerId],
    );
    if (res.rowCount === 1) codes.push(code);
  }
  return codes;
}

/** Reads the code's row (locking it when asked) and refuses unknown or used codes. */
async function requireUnusedInvite(db: Db, input: string, lock: boolean): Promise<string> {
  const code = normaliseInviteCode(input);
  const res = await db.query<{ redeemed_by: string | null }>(
    `SELECT redeemed_by FROM invite_codes WHERE code = $1${lock ? " FOR UPDATE" : ""}`,
    [code],
  );
  const row = res.rows[0];
  if (!row)
    throw new AccountError(
      "invite_unknown",
      "We don't know that invite code. Check it and try again.",
      "inviteCode",
    );
  if (row.redeemed_by)
    throw new AccountError("invite_used", "That invite code has already been used.", "inviteCode");
  return code;
}

/**
 * Step 1 of onboarding: is this code usable right now? Read-only (the code is redeemed atomically
 * when the account is created). Throws invite_unknown / invite_used with a message for the form.
 */
export function checkInviteCode(db: Db, input: string): Promise<string> {
  return requireUnusedInvite(db, input, false);
}

/**
 * Locks the code's row for the rest of the transaction and checks it is unused. Two sign-ups racing
 * for one code serialise here: the second sees it redeemed after the first commits.
 */
export function lockUnusedInvite(client: PoolClient, input: string): Promise<string> {
  return requireUnusedInvite(client, input, true);
}

export async function redeemInvite(
  client: PoolClient,
  code: string,
  userId: string,
): Promise<void> {
  const res = await client.query(
    "UPDATE invite_codes SET redeemed_by = $2, redeemed_at = now() WHERE code = $1 AND redeemed_by IS NULL",
    [code, userId],
  );
  if (res.rowCount !== 1)
    throw new AccountError("invite_used", "That invite code has already been used.", "inviteCode");
}

export interface InviteView {
  code: string;
  display: string;
  redeemedBy: { id: string; username: string | null } | null;
  redeemedAt: Date | null;
  createdAt: Date;
}

export async function listInvites(db: Db, ownerId: string): Promise<InviteView[]> {
  const res = await db.query<{
    code: string;
    redeemed_by: string | null;
    redeemer_username: string | null;
    redeemed_at: Date | null;
    created_at: Date;
  }>(
    `SELECT i.code, i.redeemed_by, u.username AS redeemer_username, i.redeemed_at, i.created_at
       FROM invite_codes i LEFT JOIN users u ON u.id = i.redeemed_by
      WHERE i.owner_id = $1 ORDER BY i.created_at, i.code`,
    [ownerId],
  );
  return res.rows.map((r) => ({
    code: r.code,
    display: formatInviteCode(r.code),
    redeemedBy: r.redeemed_by ? { id: r.redeemed_by, username: r.redeemer_username } : null,
    redeemedAt: r.redeemed_at,
    createdAt: r.created_at,
  }));
}
