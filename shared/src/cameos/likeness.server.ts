import type { Pool } from "../db/pool.server.ts";
import { requireMayCast } from "./consent.server.ts";
import { CameoError } from "./errors.ts";
import { cosine, LIKENESS_THRESHOLD } from "./likeness.ts";

/**
 * The likeness guard: a face (from a cameo recording or an image-to-video input) that matches
 * someone else's person cameo is refused unless that person's consent covers the uploader. This is
 * the only use of the stored embeddings.
 */
export async function requireLikenessConsent(
  pool: Pool,
  uploaderId: string,
  embedding: readonly number[],
  opts: { exceptCameoId?: string } = {},
): Promise<{ matched: string | null; similarity: number }> {
  if (embedding.length === 0) return { matched: null, similarity: 0 };
  const r = await pool.query<{ id: string; name: string; owner_id: string; embedding: number[] }>(
    `SELECT id, name, owner_id, embedding FROM cameos
      WHERE kind = 'person' AND status = 'ready' AND embedding IS NOT NULL AND owner_id <> $1
        AND ($2::uuid IS NULL OR id <> $2)`,
    [uploaderId, opts.exceptCameoId ?? null],
  );
  let best: { id: string; name: string; s: number } | null = null;
  for (const c of r.rows) {
    const s = cosine(embedding, c.embedding);
    if (s >= LIKENESS_THRESHOLD && (!best || s > best.s)) best = { id: c.id, name: c.name, s };
  }
  if (!best) return { matched: null, similarity: 0 };
  try {
    await requireMayCast(pool, uploaderId, best.id);
  } catch (err) {
    if (err instanceof CameoError)
      throw new CameoError(
        "likeness_match",
        `This face looks like @${best.name}'s cameo, and they have not allowed you to use their likeness.`,
      );
    throw err;
  }
  return { matched: best.name, similarity: best.s };
}
