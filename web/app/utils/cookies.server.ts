/**
 * Minimal cookie parsing/serialising for the cookies the app sets. Over HTTPS they are named
 * with the `__Host-` prefix (`__Host-rh_session`): browsers then only accept them Secure, for
 * Path=/ and without a Domain, so a sibling subdomain or a plain-HTTP page cannot plant or shadow
 * them (issue 16 B10). Over plain HTTP (local use) the prefix is impossible and the names are bare.
 */
export const SESSION_COOKIE = "rh_session";
export const ANON_COOKIE = "rh_anon";
/** Set for a day when a sign-up was refused as under 13, so another birthdate is not taken. */
export const AGE_GATE_COOKIE = "rh_age_gate";

/** The name a cookie has on the wire: `__Host-` + name when served over HTTPS. */
export function cookieName(name: string, secure: boolean): string {
  return secure ? `__Host-${name}` : name;
}

export function parseCookies(header: string | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    if (out.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      out.set(name, decodeURIComponent(value));
    } catch {
      out.set(name, value);
    }
  }
  return out;
}

export interface CookieOptions {
  secure: boolean;
  /** Seconds; 0 deletes the cookie; undefined makes a browser-session cookie. */
  maxAge?: number;
}

/** httpOnly, SameSite=Lax, Path=/, no Domain; Secure and `__Host-`-prefixed when secure. */
export function serializeCookie(name: string, value: string, opts: CookieOptions): string {
  const parts = [
    `${cookieName(name, opts.secure)}=${encodeURIComponent(value)}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
  ];
  if (opts.maxAge !== undefined) {
    parts.push(`Max-Age=${Math.max(0, Math.floor(opts.maxAge))}`);
    if (opts.maxAge <= 0) parts.push("Expires=Thu, 01 Jan 1970 00:00:00 GMT");
  }
  if (opts.secure) parts.push("Secure");
  return parts.join("; ");
}
