import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * CSRF tokens. Signed in: derived from the session's own secret (sessions.csrf_secret). Signed out:
 * bound to a random id in the signed `rh_anon` cookie. Forms carry the token in a hidden `csrf`
 * field; other requests send it as the `X-CSRF-Token` header. A cross-site page can neither read
 * the token nor (SameSite=Lax) make the browser send the cookie it is bound to on a POST.
 */
export const CSRF_FIELD = "csrf";
export const CSRF_HEADER = "x-csrf-token";

function hmac(key: string, data: string): string {
  return createHmac("sha256", key).update(data).digest("base64url");
}

export function sessionCsrfToken(csrfSecret: string): string {
  return hmac(csrfSecret, "reelhouse:csrf:v1");
}

export function newAnonCookieValue(authSecret: string): { id: string; value: string } {
  const id = randomBytes(18).toString("base64url");
  return { id, value: `${id}.${hmac(authSecret, `reelhouse:anon:${id}`)}` };
}

/** The anon id of a genuine (server-signed) cookie value, else null. */
export function verifyAnonCookie(authSecret: string, value: string | undefined): string | null {
  if (!value) return null;
  const [id, sig, extra] = value.split(".");
  if (!id || !sig || extra !== undefined) return null;
  return tokensEqual(sig, hmac(authSecret, `reelhouse:anon:${id}`)) ? id : null;
}

export function anonCsrfToken(authSecret: string, anonId: string): string {
  return hmac(authSecret, `reelhouse:anon-csrf:${anonId}`);
}

export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
