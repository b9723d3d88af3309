import { VerifyError, verifyUpload } from "@reelhouse/shared/provenance/verify.server";
import type { NextFunction, Request, Response } from "express";
import type { Pool } from "pg";

/**
 * POST /verify — the raw bytes of a video or image as the body (any Content-Type; the bytes are
 * sniffed), answered with JSON (docs/api.md "Verify"). Mounted before the session and CSRF
 * middleware: it reads no cookie, changes nothing and reveals only public posts, so any site or
 * script may call it. The body is capped at `maxBytes` (413 past it, read no further); at most
 * `concurrency` checks run at once in this process (503 + Retry-After beyond), since each decodes
 * the video.
 */
export function verifyHandler(o: { pool: Pool; maxBytes: number; concurrency?: number }) {
  let running = 0;
  const limit = o.concurrency ?? 2;
  return async (req: Request, res: Response, next: NextFunction) => {
    const fail = (status: number, error: string) =>
      res.status(status).type("application/json").send(JSON.stringify({ error }));
    if (running >= limit) {
      res.setHeader("Retry-After", "5");
      return fail(503, "Busy checking other files; try again in a few seconds.");
    }
    const declared = Number(req.headers["content-length"] ?? Number.NaN);
    if (declared > o.maxBytes)
      return fail(413, `The file is over the ${Math.round(o.maxBytes / 1e6)} MB limit.`);
    running++;
    const ac = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) ac.abort();
    });
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > o.maxBytes) {
          req.unpipe();
          res.setHeader("Connection", "close");
          return fail(413, `The file is over the ${Math.round(o.maxBytes / 1e6)} MB limit.`);
        }
        chunks.push(chunk);
      }
      const result = await verifyUpload(o.pool, Buffer.concat(chunks), {
        maxBytes: o.maxBytes,
        signal: ac.signal,
      });
      res.status(200).type("application/json").setHeader("Cache-Control", "no-store");
      res.send(JSON.stringify(result));
    } catch (err) {
      if (err instanceof VerifyError) return fail(err.status, err.message);
      if (ac.signal.aborted) return;
      next(err);
    } finally {
      running--;
    }
  };
}
