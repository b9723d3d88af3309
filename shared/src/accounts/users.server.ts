import type { DatabaseError } from "pg";
import { type Pool, type PoolClient, transaction } from "../db/pool.server.ts";
import { AccountError } from "./errors.ts";
import { issueInvites, lockUnusedInvite, redeemInvite } from "./invites.server.ts";
import { hashPassword } from "./password.server.ts";
import {
  ADULT_AGE,
  ageOn,
  fieldErrors,
  MIN_AGE,
  profileSchema,
  signUpSchema,
  usernameSchema,
} from "./validation.ts";

export interface User {
  id: string;
  email: string;
  /** Null until the profile step of onboarding is done. */
  username: string | null;
  birthdate: string;
  isMinor: boolean;
  isAdmin: boolean;
  isModerator: boolean;
  displayName: string;
  bio: string;
  photoMediaId: string | null;
  /** The email address was confirmed through a mailed link (issue 17). */
  emailVerified: boolean;
  createdAt: Date;
}

interface UserRow {
  id: string;
  email: string;
  username: string | null;
  birthdate: string;
  is_minor: boolean;
  is_admin: boolean;
  is_moderator: boolean;
  display_name: string;
  bio: string;
  photo_media_id: string | null;
  email_verified?: boolean;
  created_at: Date;
}

export const USER_COLUMNS =
  "id, email, username, to_char(birthdate, 'YYYY-MM-DD') AS birthdate, is_minor, is_admin, is_moderator, display_name, bio, photo_media_id, email_verified_at IS NOT NULL AS email_verified, created_at";

export function toUser(r: UserRow): User {
  return {
    id: r.id,
    email: r.email,
    username: r.username,
    birthdate: r.birthdate,
    isMinor: r.is_minor,
    isAdmin: r.is_admin,
    isModerator: r.is_moderator,
    displayName: r.display_name,
    bio: r.bio,
    photoMediaId: r.photo_media_id,
    emailVerified: r.email_verified === true,
    createdAt: r.created_at,
  };
}

function isUniqueViolation(err: unknown, index: string): boolean {
  const e = err as DatabaseError;
  return e?.code === "23505" && e.constraint === index;
}

export interface CreateAccountInput {
  email: unknown;
  password: unknown;
  birthdate: unknown;
  inviteCode?: unknown;
  /** Set by the admin command; the web flow asks for it on the profile step. */
  username?: unknown;
  isAdmin?: boolean;
}

/**
 * Creates an account. Refusals throw AccountError before anything is written; the invite code is
 * locked, checked and redeemed in the same transaction as the user insert, and the new user's own
 * invite codes are issued in it too.
 */
export async function createAccount(
  pool: Pool,
  input: CreateAccountInput,
  opts: { inviteRequired: boolean; today?: Date },
): Promise<{ user: User; invites: string[] }> {
  const parsed = signUpSchema.safeParse({
    email: input.email,
    password: input.password,
    birthdate: input.birthdate,
    inviteCode: typeof input.inviteCode === "string" ? input.inviteCode : undefined,
  });
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    const [field, message] = Object.entries(errors)[0]!;
    throw new AccountError(
      field === "password" ? "weak_password" : "invalid_input",
      message,
      field,
    );
  }
  const { email, password, birthdate } = parsed.data;
  let username: string | null = null;
  if (input.username !== undefined) {
    const u = usernameSchema.safeParse(input.username);
    if (!u.success) throw new AccountError("invalid_input", u.error.issues[0]!.message, "username");
    username = u.data;
    if (password.toLowerCase().includes(username.toLowerCase()))
      throw new AccountError(
        "weak_password",
        "Your password must not contain your username.",
        "password",
      );
  }
  const age = ageOn(birthdate, opts.today);
  if (age < MIN_AGE)
    throw new AccountError(
      "too_young",
      `You must be at least ${MIN_AGE} years old to use Reelhouse.`,
      "birthdate",
    );
  const code = parsed.data.inviteCode?.trim() ? parsed.data.inviteCode : undefined;
  if (opts.inviteRequired && !code)
    throw new AccountError(
      "invite_required",
      "Reelhouse is invite-only right now: enter an invite code.",
      "inviteCode",
    );

  const passwordHash = await hashPassword(password);
  return transaction(pool, async (c) => {
    const inviteCode = code ? await lockUnusedInvite(c, code) : undefined;
    let row: UserRow;
    try {
      const res = await c.query<UserRow>(
        `INSERT INTO users (email, username, password_hash, birthdate, is_minor, is_admin)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${USER_COLUMNS}`,
        [email, username, passwordHash, birthdate, age < ADULT_AGE, input.isAdmin === true],
      );
      row = res.rows[0]!;
    } catch (err) {
      if (isUniqueViolation(err, "users_email_lower"))
        throw new AccountError(
          "email_taken",
          "An account with that email already exists. Sign in instead.",
          "email",
        );
      if (isUniqueViolation(err, "users_username_lower"))
        throw new AccountError(
          "username_taken",
          "That username is taken. Try another.",
          "username",
        );
      throw err;
    }
    if (inviteCode) await redeemInvite(c, inviteCode, row.id);
    const invites = await issueInvites(c, row.id);
    return { user: toUser(row), invites };
  });
}

/**
 * The profile step (and later profile edits): username (unique case-insensitively), bio, and
 * optionally a new photo (an already stored media id). A taken username writes nothing.
 */
export async function updateProfile(
  db: Pool | PoolClient,
  userId: string,
  input: { username: unknown; bio?: unknown; photoMediaId?: string | null },
): Promise<User> {
  const parsed = profileSchema.safeParse({ username: input.username, bio: input.bio ?? "" });
  if (!parsed.success) {
    const [field, message] = Object.entries(fieldErrors(parsed.error))[0]!;
    throw new AccountError("invalid_input", message, field);
  }
  const { username, bio } = parsed.data;
  try {
    const res = await db.query<UserRow>(
      `UPDATE users SET username = $2, bio = $3, photo_media_id = CASE WHEN $4::boolean THEN $5::uuid ELSE photo_media_id END
        WHERE id = $1 RETURNING ${USER_COLUMNS}`,
      [userId, username, bio, input.photoMediaId !== undefined, input.photoMediaId ?? null],
    );
    if (!res.rows[0]) throw new AccountError("not_found", "That account no longer exists.");
    return toUser(res.rows[0]);
  } catch (err) {
    if (isUniqueViolation(err, "users_username_lower"))
      throw new AccountError("username_taken", "That username is taken. Try another.", "username");
    throw err;
  }
}

export async function getUserById(db: Pool, id: string): Promise<User | null> {
  const res = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  return res.rows[0] ? toUser(res.rows[0]) : null;
}

export async function getUserByUsername(db: Pool, username: string): Promise<User | null> {
  const res = await db.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users WHERE lower(username) = lower($1)`,
    [username],
  );
  return res.rows[0] ? toUser(res.rows[0]) : null;
}

/** For sign-in: by email or username, case-insensitively. */
export async function findCredentials(
  db: Pool,
  login: string,
): Promise<{ id: string; email: string; passwordHash: string } | null> {
  const res = await db.query<{ id: string; email: string; password_hash: string }>(
    "SELECT id, email, password_hash FROM users WHERE lower(email) = lower($1) OR lower(username) = lower($1) LIMIT 1",
    [login],
  );
  const r = res.rows[0];
  return r ? { id: r.id, email: r.email, passwordHash: r.password_hash } : null;
}

export async function isUsernameAvailable(db: Pool, username: string): Promise<boolean> {
  const res = await db.query("SELECT 1 FROM users WHERE lower(username) = lower($1)", [username]);
  return res.rowCount === 0;
}
