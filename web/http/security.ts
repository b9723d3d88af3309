import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import type { NextFunction, Request, Response } from "express";
import { CSRF_FIELD, CSRF_HEADER, tokensEqual } from "../app/utils/csrf.server.ts";
import { BodyTooLargeError, firstMultipartField, multipartBoundary, peekBody } from "./body.ts";

/** Headers on every response. The nonce lets React Router's inline hydration scripts run. */
export function securityHeaders(opts: { hsts: boolean }) {
  return (_req: Request, res: Response, next: NextFunction) => {
    // The embeddable player (/embed/:id) is the one page other sites may frame.
    const embeddable = _req.path.startsWith("/embed/");
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.setHeader(
      "Content-Security-Policy",
      [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}'`,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        embeddable ? "frame-ancestors *" : "frame-ancestors 'none'",
      ].join("; "),
    );
    res.setHeader("X-Content-Type-Options", "nosniff");
    if (!embeddable) res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    // Camera and microphone for our own pages only (the cameo recorder; client-side navigation
    // keeps the first document's policy, so it cannot be per path). Other origins never.
    res.setHeader(
      "Permissions-Policy",
      "camera=(self), microphone=(self), geolocation=(), payment=()",
    );
    if (opts.hsts)
      res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  };
}

/**
 * Refuses URLs no route can mean (issue 16 B3): a path whose percent-encoding does not decode as
 * UTF-8 (`%E0%A4%A`, `%FF`), or that decodes to a control character (`%00`, `%0A`), and a NUL
 * anywhere in the query (Postgres text cannot hold it). 400 with a message, before any route or
 * database lookup sees the value.
 */
export function refuseMalformedUrls() {
  return (req: Request, _res: Response, next: NextFunction) => {
    const raw = req.originalUrl ?? req.url ?? "/";
    const q = raw.indexOf("?");
    const pathPart = q === -1 ? raw : raw.slice(0, q);
    const query = q === -1 ? "" : raw.slice(q + 1);
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathPart);
    } catch {
      return next(new RefusedError(400, "This address is malformed (bad percent-encoding)."));
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    if (/[\u0000-\u001f\u007f]/.test(decoded) || /%00/.test(query))
      return next(new RefusedError(400, "This address is malformed (control characters)."));
    next();
  };
}

export class RefusedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD"]);
export const isMutation = (method: string) => !SAFE_METHODS.has(method.toUpperCase());

/**
 * Same-origin check for a mutation: a browser always sends Origin (and modern ones Sec-Fetch-Site)
 * on a cross-site POST, so either one that does not match the app's origin refuses it. A request
 * with neither (curl, old browsers) still needs the CSRF token.
 */
export function checkSameOrigin(req: IncomingMessage, expectedOrigin: string): void {
  const site = req.headers["sec-fetch-site"];
  if (typeof site === "string" && site !== "same-origin")
    throw new RefusedError(
      403,
      `Refused: this request came from another site (Sec-Fetch-Site: ${site}).`,
    );
  const origin = req.headers.origin;
  if (typeof origin === "string" && origin !== expectedOrigin)
    throw new RefusedError(
      403,
      `Refused: this request came from another origin (${origin}); expected ${expectedOrigin}.`,
    );
}

const MAX_FORM_BYTES = 256 * 1024;
const MAX_MULTIPART_PEEK = 16 * 1024;

/**
 * Verifies the CSRF token of a mutation and returns the body stream to hand on to the app.
 * - urlencoded forms: the whole (small) body is read and the `csrf` field checked;
 * - multipart forms: the `csrf` field must be the FIRST part (our <CsrfInput> renders first), so
 *   the check reads only the first few bytes and the upload keeps streaming;
 * - anything else (JSON, no body): the X-CSRF-Token header.
 */
export async function verifyCsrf(
  req: IncomingMessage,
  expected: string,
): Promise<Readable | undefined> {
  const contentType = (req.headers["content-type"] ?? "").toLowerCase();
  const missing =
    "Refused: this form is missing its security token (CSRF). Reload the page and try again.";
  const wrong =
    "Refused: this form's security token (CSRF) is not valid for your session. Reload the page and try again.";
  const check = (token: string | null | undefined) => {
    if (!token) throw new RefusedError(403, missing);
    if (!tokensEqual(token, expected)) throw new RefusedError(403, wrong);
  };
  if (contentType.startsWith("application/x-www-form-urlencoded")) {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_FORM_BYTES) throw new RefusedError(413, "Refused: this form is too large.");
    const { prefix, ended, body } = await peekBody(req, { maxBytes: MAX_FORM_BYTES + 1 });
    if (!ended || prefix.length > MAX_FORM_BYTES) {
      body.destroy();
      throw new RefusedError(413, "Refused: this form is too large.");
    }
    check(new URLSearchParams(prefix.toString("utf8")).get(CSRF_FIELD));
    return body;
  }
  if (contentType.startsWith("multipart/form-data")) {
    const boundary = multipartBoundary(req.headers["content-type"] ?? "");
    if (!boundary) throw new RefusedError(400, "Refused: malformed multipart form (no boundary).");
    const { prefix, body } = await peekBody(req, {
      maxBytes: MAX_MULTIPART_PEEK,
      enough: (p) => firstMultipartField(p, boundary) !== null,
    });
    const first = firstMultipartField(prefix, boundary);
    check(first?.name === CSRF_FIELD ? first.value : null);
    return body;
  }
  const header = req.headers[CSRF_HEADER];
  check(typeof header === "string" ? header : undefined);
  return undefined;
}

export { BodyTooLargeError };
