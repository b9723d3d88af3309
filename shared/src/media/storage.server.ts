import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Pool } from "../db/pool.server.ts";

/**
 * Media bytes behind one interface. Callers get ids (uuids), never paths; a size limit is enforced
 * while the bytes stream in, and a refused or failed upload leaves nothing behind.
 */
export interface MediaStorage {
  /** Stores the stream; rejects with MediaTooLargeError as soon as it passes `maxBytes`. */
  put(
    input: Readable | AsyncIterable<Uint8Array> | Uint8Array,
    opts: { maxBytes: number },
  ): Promise<StoredMedia>;
  /** Rejects with MediaNotFoundError for an unknown (or malformed) id. */
  open(id: string): Promise<{ stream: Readable; bytes: number }>;
  /** Idempotent. */
  delete(id: string): Promise<void>;
}

export interface StoredMedia {
  id: string;
  bytes: number;
}

export class MediaTooLargeError extends Error {
  readonly status = 413;
  constructor(readonly maxBytes: number) {
    super(`The file is too large: the limit is ${formatBytes(maxBytes)}.`);
    this.name = "MediaTooLargeError";
  }
}

export class MediaNotFoundError extends Error {
  readonly status = 404;
  constructor(id: string) {
    super(`No media ${id}.`);
    this.name = "MediaNotFoundError";
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isMediaId = (id: string) => UUID_RE.test(id);

/** Passes bytes through, failing the pipeline the moment the total passes `max`. */
export function byteLimit(max: number, onBytes?: (n: number) => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      onBytes?.(seen);
      if (seen > max) cb(new MediaTooLargeError(max));
      else cb(null, chunk);
    },
  });
}

/**
 * Local disk under `<root>` (default DATA_DIR/media): `<root>/<id[0..2]>/<id>`, written to
 * `<root>/tmp/<id>.part` first and renamed into place when complete.
 */
export class LocalDiskStorage implements MediaStorage {
  constructor(readonly root: string) {}

  private file(id: string): string {
    if (!isMediaId(id)) throw new MediaNotFoundError(id);
    return path.join(this.root, id.slice(0, 2), id);
  }

  get tmpDir(): string {
    return path.join(this.root, "tmp");
  }

  async put(
    input: Readable | AsyncIterable<Uint8Array> | Uint8Array,
    opts: { maxBytes: number },
  ): Promise<StoredMedia> {
    const id = randomUUID();
    const tmp = path.join(this.tmpDir, `${id}.part`);
    const final = this.file(id);
    await mkdir(this.tmpDir, { recursive: true });
    let bytes = 0;
    const source = input instanceof Uint8Array ? Readable.from([input]) : input;
    try {
      await pipeline(
        source,
        byteLimit(opts.maxBytes, (n) => {
          bytes = n;
        }),
        createWriteStream(tmp, { flags: "wx", mode: 0o640 }),
      );
      await mkdir(path.dirname(final), { recursive: true });
      await rename(tmp, final);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return { id, bytes };
  }

  async open(id: string): Promise<{ stream: Readable; bytes: number }> {
    const file = this.file(id);
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      throw new MediaNotFoundError(id);
    }
    return { stream: createReadStream(file), bytes: size };
  }

  async delete(id: string): Promise<void> {
    if (!isMediaId(id)) return;
    await rm(this.file(id), { force: true });
  }
}

/** The `media` table row describing stored bytes. */
export interface MediaRecord {
  id: string;
  ownerId: string | null;
  kind: string;
  contentType: string;
  bytes: number;
  width: number | null;
  height: number | null;
}

export async function insertMediaRecord(db: Pick<Pool, "query">, m: MediaRecord): Promise<void> {
  await db.query(
    "INSERT INTO media (id, owner_id, kind, content_type, bytes, width, height) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    [m.id, m.ownerId, m.kind, m.contentType, m.bytes, m.width, m.height],
  );
}

export async function getMediaRecord(
  db: Pick<Pool, "query">,
  id: string,
): Promise<MediaRecord | null> {
  if (!isMediaId(id)) return null;
  const res = await db.query<{
    id: string;
    owner_id: string | null;
    kind: string;
    content_type: string;
    bytes: number;
    width: number | null;
    height: number | null;
  }>("SELECT id, owner_id, kind, content_type, bytes, width, height FROM media WHERE id = $1", [
    id,
  ]);
  const r = res.rows[0];
  return r
    ? {
        id: r.id,
        ownerId: r.owner_id,
        kind: r.kind,
        contentType: r.content_type,
        bytes: r.bytes,
        width: r.width,
        height: r.height,
      }
    : null;
}
