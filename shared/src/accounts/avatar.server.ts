import type { Readable } from "node:stream";
import type { Pool } from "../db/pool.server.ts";
import { processAvatar } from "../media/images.server.ts";
import { insertMediaRecord, type MediaRecord, type MediaStorage } from "../media/storage.server.ts";

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A profile photo upload: the raw bytes are streamed into storage under `maxBytes` (refused while
 * streaming), decoded and normalised (see processAvatar), the result stored as a public `avatar`
 * media row, and the raw upload deleted. On any refusal nothing remains in storage or the table.
 */
export async function storeAvatar(
  pool: Pool,
  storage: MediaStorage,
  ownerId: string,
  upload: Readable | AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<MediaRecord> {
  const raw = await storage.put(upload, { maxBytes });
  let processedId: string | undefined;
  try {
    const { stream } = await storage.open(raw.id);
    const image = await processAvatar(await readAll(stream));
    const stored = await storage.put(image.data, { maxBytes: image.data.length });
    processedId = stored.id;
    const record: MediaRecord = {
      id: stored.id,
      ownerId,
      kind: "avatar",
      contentType: image.contentType,
      bytes: stored.bytes,
      width: image.width,
      height: image.height,
    };
    await insertMediaRecord(pool, record);
    return record;
  } catch (err) {
    if (processedId) await storage.delete(processedId);
    throw err;
  } finally {
    await storage.delete(raw.id);
  }
}

/** Removes an avatar stored by storeAvatar whose profile update was then refused. */
export async function discardAvatar(
  pool: Pool,
  storage: MediaStorage,
  mediaId: string,
): Promise<void> {
  await pool.query("DELETE FROM media WHERE id = $1 AND kind = 'avatar'", [mediaId]);
  await storage.delete(mediaId);
}
