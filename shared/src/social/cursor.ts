import { z } from "zod";
import { invalid } from "./errors.ts";

/**
 * Opaque keyset cursors (base64url JSON). They carry the exact sort key of the last item served
 * (scores as the float8 Postgres returned, timestamps as Postgres text, so nothing is rounded) and
 * the snapshot time: posts published after the first page never shift later pages.
 */

/** A timestamp as Postgres prints it ("2026-11-27 10:04:35.094797+00"), ISO 8601, or now/infinity. */
const pgTime = z
  .string()
  .max(64)
  .regex(
    /^(now|infinity|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2}){0,2})?)$/,
  );

export const forYouCursorSchema = z.object({
  v: z.literal(1),
  /** Effective score of the last consumed candidate (hot_score, + boost if followed). */
  s: z.number().finite(),
  /** Its id (tie-breaker). */
  i: z.string().uuid(),
  /** Snapshot: only posts published at or before this instant. */
  t: pgTime,
  /** Candidates held back by the diversity cap, served first on the next page. */
  d: z.array(z.string().uuid()).max(60),
});
export type ForYouCursor = z.infer<typeof forYouCursorSchema>;

export const timeCursorSchema = z.object({
  v: z.literal(1),
  /** published_at (or created_at) of the last item, as Postgres text. */
  p: pgTime,
  i: z.string().uuid(),
});
export type TimeCursor = z.infer<typeof timeCursorSchema>;

export function encodeCursor(c: ForYouCursor | TimeCursor): string {
  return Buffer.from(JSON.stringify(c), "utf8").toString("base64url");
}

export function decodeCursor<S extends z.ZodType>(
  schema: S,
  raw: string | null | undefined,
): z.infer<S> | null {
  if (raw === null || raw === undefined || raw === "") return null;
  if (raw.length > 4096) throw invalid("cursor too long");
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw invalid("malformed cursor");
  }
  const r = schema.safeParse(json);
  if (!r.success) throw invalid("malformed cursor");
  return r.data;
}
