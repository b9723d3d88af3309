import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * Short-lived tokens that the web app issues to a signed-in session (or a share-link guest) and the
 * collab server verifies on every WebSocket connection. Format: base64url(JSON payload) "." HMAC.
 */
export const collabTokenPayloadSchema = z.object({
  /** User id, or `guest:<share link id>:<random>` for share-link guests. */
  sub: z.string().min(1),
  name: z.string(),
  /** Share-link id for guests; the server re-checks it is still valid on every connection. */
  shareLinkId: z.string().optional(),
  /** Expiry, seconds since epoch. */
  exp: z.number().int(),
});
export type CollabTokenPayload = z.infer<typeof collabTokenPayloadSchema>;

export const COLLAB_TOKEN_TTL_SECONDS = 10 * 60;

function mac(secret: string, body: string): string {
  return createHmac("sha256", `collab:${secret}`).update(body).digest("base64url");
}

export function signCollabToken(
  secret: string,
  payload: Omit<CollabTokenPayload, "exp">,
  ttl = COLLAB_TOKEN_TTL_SECONDS,
): string {
  const body = Buffer.from(
    JSON.stringify({ ...payload, exp: Math.floor(Date.now() / 1000) + ttl }),
  ).toString("base64url");
  return `${body}.${mac(secret, body)}`;
}

export type VerifyResult =
  | { ok: true; payload: CollabTokenPayload }
  | { ok: false; reason: string };

/**
 * `ignoreExpiry`: only for proving who wrote something already stored (a guest's comment), where
 * the identity matters and the session's freshness does not; connections always check expiry.
 */
export function verifyCollabToken(
  secret: string,
  token: string,
  opts: { ignoreExpiry?: boolean } = {},
): VerifyResult {
  const [body, sig, extra] = token.split(".");
  if (!body || !sig || extra !== undefined) return { ok: false, reason: "malformed token" };
  const want = Buffer.from(mac(secret, body));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got))
    return { ok: false, reason: "bad signature" };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed token" };
  }
  const parsed = collabTokenPayloadSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: "malformed token" };
  if (!opts.ignoreExpiry && parsed.data.exp < Date.now() / 1000)
    return { ok: false, reason: "token expired" };
  return { ok: true, payload: parsed.data };
}
