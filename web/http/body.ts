import type { IncomingMessage } from "node:http";
import { PassThrough, type Readable } from "node:stream";

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body over ${limit} bytes.`);
  }
}

/**
 * Reads the start of a request body without losing it: collects chunks until `enough(prefix)` or
 * `maxBytes`, then returns the prefix and a stream that replays it followed by the rest of the body
 * (with backpressure, so large uploads are never buffered here).
 */
export function peekBody(
  req: IncomingMessage,
  opts: { maxBytes: number; enough?: (prefix: Buffer) => boolean },
): Promise<{ prefix: Buffer; ended: boolean; body: Readable }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const finish = (ended: boolean) => {
      if (settled) return;
      settled = true;
      cleanup();
      req.pause();
      const prefix = Buffer.concat(chunks);
      const body = new PassThrough();
      if (prefix.length) body.write(prefix);
      if (ended) body.end();
      else {
        req.on("error", (e) => body.destroy(e));
        req.pipe(body);
      }
      resolve({ prefix, ended, body });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= opts.maxBytes || opts.enough?.(Buffer.concat(chunks))) finish(false);
    };
    const onEnd = () => finish(true);
    const onError = (e: Error) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(e);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

/** The multipart boundary from a Content-Type header, or null. */
export function multipartBoundary(contentType: string): string | null {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/**
 * The first part of a multipart body if it is complete within `prefix`: its field name and value.
 * null while more bytes are needed; { name: null } if the prefix is not a well-formed first part.
 */
export function firstMultipartField(
  prefix: Buffer,
  boundary: string,
): { name: string | null; value: string } | null {
  const text = prefix.toString("latin1");
  const open = `--${boundary}\r\n`;
  if (text.length < open.length) return null;
  if (!text.startsWith(open)) return { name: null, value: "" };
  const headerEnd = text.indexOf("\r\n\r\n", open.length);
  if (headerEnd < 0) return null;
  const headers = text.slice(open.length, headerEnd);
  const valueStart = headerEnd + 4;
  const valueEnd = text.indexOf(`\r\n--${boundary}`, valueStart);
  if (valueEnd < 0) return null;
  const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers)?.[1] ?? "";
  if (/filename=/i.test(disposition)) return { name: null, value: "" };
  const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? null;
  return { name, value: Buffer.from(text.slice(valueStart, valueEnd), "latin1").toString("utf8") };
}
