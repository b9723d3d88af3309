import type { Pool } from "../db/pool.server.ts";

/** Admin-editable settings (the `settings` table) that override environment defaults. */
export const SETTING_KEYS = { inviteOnly: "invite_only" } as const;

export async function getSetting<T>(pool: Pool, key: string): Promise<T | undefined> {
  const res = await pool.query<{ value: T }>("SELECT value FROM settings WHERE key = $1", [key]);
  return res.rows[0]?.value;
}

export async function setSetting(pool: Pool, key: string, value: unknown): Promise<void> {
  await pool.query(
    `INSERT INTO settings (key, value) VALUES ($1, $2::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [key, JSON.stringify(value)],
  );
}

/** Invite-only mode: the admin setting if one was saved, else the INVITE_ONLY default. */
export async function isInviteOnly(pool: Pool, envDefault: boolean): Promise<boolean> {
  const v = await getSetting<boolean>(pool, SETTING_KEYS.inviteOnly);
  return typeof v === "boolean" ? v : envDefault;
}
