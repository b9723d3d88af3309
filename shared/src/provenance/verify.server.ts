import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { getPost } from "../social/posts.server.ts";
import type { Queryable } from "../social/viewer.server.ts";
import { detectInFile } from "./invisible-mark.server.ts";
import { type Detection, identify, payloadHex } from "./invisible-mark.ts";
import { type Mime, type ProvenanceReport, readProvenance } from "./sign.server.ts";

/**
 * /verify: did a file come from this instance, and from which post? Two independent witnesses:
 * the C2PA manifest (validated with our chain only) and the invisible mark (matched against the
 * payloads of this instance's posts). The upload is identified by its bytes (MP4, JPEG or PNG),
 * never by its name or declared type; anything else is refused before any parser sees it.
 */

export type VerifyVerdict =
  /** Signed by this instance, every check passed. */
  | "verified"
  /** Our mark is in the picture but the manifest is gone or does not check (re-encoded, edited). */
  | "marked"
  /** It carries a manifest that names this instance's signer or claims but fails its checks. */
  | "tampered"
  /** A valid manifest from someone else. */
  | "other"
  /** Nothing ties it to this instance. */
  | "unknown";

export type VerifyResult = {
  verdict: VerifyVerdict;
  summary: string;
  mime: Mime;
  bytes: number;
  c2pa: ProvenanceReport;
  watermark: { found: boolean; payload: string | null; z: number | null; error: string | null };
  post: {
    id: string;
    url: string;
    posterUrl: string | null;
    author: string;
    caption: string;
  } | null;
  /** Set when a post of this instance matched but the asker may not see it. */
  postHidden: boolean;
  /**
   * The draft the file was exported from, when it belongs to no (visible) post: a studio download,
   * a review-link or API copy of a draft that was never published. Its workspace is named only
   * when the file's own manifest (ours, valid) already says it.
   */
  draft: { id: string; workspaceName: string | null; published: boolean } | null;
};

export class VerifyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/** What the bytes are, by their signature: MP4/MOV (ftyp box), JPEG, PNG; else null. */
export function sniffMedia(b: Buffer): Mime | null {
  if (b.length >= 12 && b.subarray(4, 8).toString("latin1") === "ftyp") return "video/mp4";
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])))
    return "image/png";
  return null;
}

/** Payloads of this instance's posts: the first 32 bits of their draft id (publish:<draft id>). */
async function postPayloads(q: Queryable): Promise<Map<number, string[]>> {
  const r = await q.query<{ id: string; p: string }>(
    `SELECT id, substr(publish_workflow_id, 9, 8) AS p FROM posts
      WHERE publish_workflow_id LIKE 'publish:%' AND status <> 'deleted'`,
  );
  const out = new Map<number, string[]>();
  for (const row of r.rows) {
    if (!/^[0-9a-f]{8}$/.test(row.p)) continue;
    const k = Number.parseInt(row.p, 16) >>> 0;
    out.set(k, [...(out.get(k) ?? []), row.id]);
  }
  return out;
}

/**
 * Drafts whose first 32 bits are `payload` (what a draft's export carries, invisible-mark.ts
 * `payloadOf`): at most a few, by a range on the primary key's index.
 */
async function draftsByPayload(q: Queryable, payload: number): Promise<string[]> {
  const hex = payloadHex(payload);
  const r = await q.query<{ id: string }>(
    `SELECT id FROM drafts WHERE id >= $1::uuid AND id <= $2::uuid ORDER BY created_at LIMIT 5`,
    [`${hex}-0000-0000-0000-000000000000`, `${hex}-ffff-ffff-ffff-ffffffffffff`],
  );
  return r.rows.map((x) => x.id);
}

/** Payloads of this instance's drafts that no post carries (the exports of unpublished drafts). */
async function draftPayloads(q: Queryable): Promise<number[]> {
  const r = await q.query<{ p: string }>(
    `SELECT DISTINCT substr(d.id::text, 1, 8) AS p FROM drafts d
      WHERE d.export_path IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.publish_workflow_id = 'publish:' || d.id::text
                          AND p.status <> 'deleted')`,
  );
  return r.rows.map((x) => Number.parseInt(x.p, 16) >>> 0);
}

async function postByDraft(q: Queryable, draftId: string | null): Promise<string | null> {
  if (!draftId) return null;
  const r = await q.query<{ id: string }>(
    "SELECT id FROM posts WHERE publish_workflow_id = $1 AND status <> 'deleted'",
    [`publish:${draftId}`],
  );
  return r.rows[0]?.id ?? null;
}

export async function verifyUpload(
  q: Queryable,
  bytes: Buffer,
  o: { maxBytes: number; signal?: AbortSignal },
): Promise<VerifyResult> {
  if (bytes.length === 0) throw new VerifyError(400, "The file is empty.");
  if (bytes.length > o.maxBytes)
    throw new VerifyError(413, `The file is over the ${Math.round(o.maxBytes / 1e6)} MB limit.`);
  const mime = sniffMedia(bytes);
  if (!mime)
    throw new VerifyError(415, "This is not a video or image we can check (MP4, JPEG or PNG).");
  const c2pa = await readProvenance({ buffer: bytes, mimeType: mime });

  const dir = await mkdtemp(path.join(tmpdir(), "rh-verify-"));
  let detection: Detection | null = null;
  let markError: string | null = null;
  try {
    const file = path.join(dir, `upload.${mime.split("/")[1]}`);
    await writeFile(file, bytes, { mode: 0o600 });
    detection = await detectInFile(file, { signal: o.signal });
  } catch (e) {
    markError = "The picture could not be decoded to look for the watermark.";
    if (o.signal?.aborted) throw e;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const payloads = detection ? await postPayloads(q) : new Map<number, string[]>();
  const drafts = detection ? await draftPayloads(q) : [];
  const match = detection ? identify(detection, [...payloads.keys(), ...drafts]) : null;

  // Which post: the manifest's draft when it is ours, else the mark's payload.
  let postId = c2pa.state === "ours" ? await postByDraft(q, c2pa.origin?.draftId ?? null) : null;
  if (!postId && match) postId = payloads.get(match.payload)?.[0] ?? null;
  let post: VerifyResult["post"] = null;
  let postHidden = false;
  if (postId) {
    try {
      // Shown as an anonymous visitor sees it: a private or restricted post is not revealed.
      const p = await getPost(q, null, postId);
      post = {
        id: p.id,
        url: `/p/${p.id}`,
        posterUrl: p.posterUrl,
        author: p.author.username,
        caption: p.caption,
      };
    } catch {
      postHidden = true;
    }
  }
  // No post: which draft (the manifest's when it is ours, else the mark's, if a draft has it).
  let draft: VerifyResult["draft"] = null;
  if (!post && !postHidden) {
    const fromManifest = c2pa.state === "ours" ? (c2pa.origin?.draftId ?? null) : null;
    const id =
      fromManifest ?? (match ? ((await draftsByPayload(q, match.payload))[0] ?? null) : null);
    if (id)
      draft = {
        id,
        workspaceName: fromManifest ? (c2pa.origin?.workspaceName ?? null) : null,
        published: (await postByDraft(q, id)) !== null,
      };
  }
  const ourSigner = c2pa.claims?.generator?.startsWith("Reelhouse") ?? false;
  const verdict: VerifyVerdict =
    c2pa.state === "ours"
      ? "verified"
      : c2pa.state === "invalid" && (ourSigner || match)
        ? "tampered"
        : match
          ? "marked"
          : c2pa.state === "other"
            ? "other"
            : c2pa.state === "invalid"
              ? "tampered"
              : "unknown";
  const where = post
    ? ` It belongs to @${post.author}'s post.`
    : postHidden
      ? " It belongs to a post that is not public."
      : draft
        ? ` It was exported from a draft${draft.workspaceName ? ` of the workspace “${draft.workspaceName}”` : ""} (${draft.id.slice(0, 8)}) that has no public post.`
        : "";
  const summary = {
    verified: `Its C2PA manifest is signed with this instance's certificate and every check passed.${where}`,
    marked: `This instance's invisible watermark is in the picture, but the C2PA manifest is missing or was removed (a re-encode or an edit).${where}`,
    tampered: `This file was changed after it was signed: its C2PA manifest no longer matches its content.${where}`,
    other:
      "It carries a valid C2PA manifest, but not one signed by this instance, and no watermark of ours.",
    unknown:
      "Nothing ties this file to this instance: no C2PA manifest of ours and no watermark of ours.",
  }[verdict];
  return {
    verdict,
    summary,
    mime,
    bytes: bytes.length,
    c2pa,
    watermark: {
      found: match !== null,
      payload: match ? payloadHex(match.payload) : null,
      z: detection && match ? Math.round(match.z * 100) / 100 : null,
      error: markError,
    },
    post,
    postHidden,
    draft,
  };
}
