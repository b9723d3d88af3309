import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import { AccountError } from "@reelhouse/shared/accounts/errors";
import { ImageRejectedError } from "@reelhouse/shared/media/images.server";
import { MediaTooLargeError } from "@reelhouse/shared/media/storage.server";
import busboy from "busboy";
import { data } from "react-router";

/** What a form action returns on refusal: a message per field, the values to refill. */
export interface FormFailure {
  ok: false;
  status: number;
  errors: Record<string, string>;
  values?: Record<string, string>;
}

export function formFailure(
  status: number,
  errors: Record<string, string>,
  values?: Record<string, string>,
  headers?: HeadersInit,
) {
  return data<FormFailure>({ ok: false, status, errors, values }, { status, headers });
}

/** Maps the domain's coded errors to a form failure with the right HTTP status. */
export function failureFromError(err: unknown, values?: Record<string, string>) {
  if (err instanceof AccountError) {
    const headers: HeadersInit | undefined = err.retryAfter
      ? { "Retry-After": String(err.retryAfter) }
      : undefined;
    return formFailure(err.status, { [err.field || "form"]: err.message }, values, headers);
  }
  if (err instanceof MediaTooLargeError) return formFailure(413, { photo: err.message }, values);
  if (err instanceof ImageRejectedError)
    return formFailure(err.status, { photo: err.message }, values);
  if (err instanceof MultipartError) return formFailure(err.status, { form: err.message }, values);
  throw err;
}

export function str(form: FormData | Map<string, string>, name: string): string {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
}

export class MultipartError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Streaming multipart parsing (busboy): text fields are collected (small, bounded), each file in
 * `files` is handed as a stream to `onFile` WHILE it uploads, so the size limit is enforced as the
 * bytes arrive. The first failure of `onFile` rejects at once and stops reading the request.
 * Unlisted file fields and empty file inputs are skipped.
 */
export async function parseMultipart<T>(
  request: Request,
  opts: {
    files: string[];
    maxFileBytes: number;
    onFile: (field: string, stream: Readable) => Promise<T>;
  },
): Promise<{ fields: Map<string, string>; files: Map<string, T> }> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data") || !request.body)
    throw new MultipartError(400, "This form must be sent as multipart/form-data.");
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > opts.maxFileBytes + 256 * 1024) throw new MediaTooLargeError(opts.maxFileBytes);

  const source = Readable.fromWeb(request.body as unknown as NodeWebReadableStream<Uint8Array>);
  const bb = busboy({
    headers: { "content-type": contentType },
    limits: {
      fileSize: opts.maxFileBytes + 1,
      files: opts.files.length,
      fields: 30,
      fieldSize: 64 * 1024,
      parts: 40,
    },
  });
  const fields = new Map<string, string>();
  const files = new Map<string, T>();
  return new Promise((resolve, reject) => {
    let failed = false;
    const pending: Promise<void>[] = [];
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      source.unpipe(bb);
      source.destroy();
      reject(err);
    };
    bb.on("field", (name, value, info) => {
      if (info.valueTruncated)
        return fail(new MultipartError(413, `The field "${name}" is too long.`));
      if (!fields.has(name)) fields.set(name, value);
    });
    bb.on("file", (name, stream, info) => {
      if (!opts.files.includes(name) || !info.filename) {
        stream.resume();
        return;
      }
      pending.push(
        opts.onFile(name, stream).then(
          (r) => void files.set(name, r),
          (err) => {
            stream.resume();
            fail(err);
          },
        ),
      );
    });
    bb.on("filesLimit", () => fail(new MultipartError(413, "Too many files in this form.")));
    bb.on("partsLimit", () => fail(new MultipartError(413, "Too many fields in this form.")));
    bb.on("error", (err) =>
      fail(new MultipartError(400, `Malformed form upload: ${(err as Error).message}`)),
    );
    bb.on("close", () => {
      Promise.all(pending).then(
        () => {
          if (!failed) resolve({ fields, files });
        },
        (err) => fail(err),
      );
    });
    source.on("error", (err) => fail(err));
    source.pipe(bb);
  });
}
