import { ApiError } from "@reelhouse/shared/api/errors";
import busboy from "busboy";
import type { Request } from "express";

/**
 * Request bodies of the public API: JSON, or multipart/form-data as the OpenAI SDK sends it (it
 * always uses multipart for create, extend and edit). Multipart field names in the SDK's bracket
 * form (`video[id]`) become nested objects; at most one file, held in memory up to `maxFileBytes`
 * (the generation service decodes and re-encodes images from bytes anyway).
 */

export interface ApiBody {
  fields: Record<string, unknown>;
  files: Map<string, { bytes: Buffer; filename: string; contentType: string }>;
}

const MAX_JSON_BYTES = 256 * 1024;

/** `a[b][c]` → ["a", "b", "c"]; anything else is one segment. */
export function fieldPath(name: string): string[] {
  const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
  if (!m) return [name];
  const rest = [...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!);
  return [m[1]!, ...rest];
}

export function setField(target: Record<string, unknown>, name: string, value: string): void {
  const parts = fieldPath(name);
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === undefined || typeof next !== "object" || next === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  const last = parts.at(-1)!;
  if (!(last in node)) node[last] = value;
}

async function readAll(req: Request, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > limit)
      throw new ApiError(413, "request_too_large", `The request body is over ${limit / 1024} KB.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readApiBody(
  req: Request,
  opts: { files: string[]; maxFileBytes: number },
): Promise<ApiBody> {
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) return readMultipart(req, opts);
  const raw = await readAll(req, MAX_JSON_BYTES);
  if (raw.length === 0) return { fields: {}, files: new Map() };
  if (!type.startsWith("application/json"))
    throw new ApiError(
      400,
      "unsupported_content_type",
      "Send the body as application/json or multipart/form-data.",
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new ApiError(400, "invalid_json", "The request body is not valid JSON.");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw new ApiError(400, "invalid_json", "The request body must be a JSON object.");
  return { fields: parsed as Record<string, unknown>, files: new Map() };
}

function readMultipart(
  req: Request,
  opts: { files: string[]; maxFileBytes: number },
): Promise<ApiBody> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: {
          fileSize: opts.maxFileBytes + 1,
          files: Math.max(1, opts.files.length),
          fields: 30,
          fieldSize: 64 * 1024,
          parts: 40,
        },
      });
    } catch (err) {
      return reject(
        new ApiError(
          400,
          "invalid_multipart",
          `Malformed multipart body: ${(err as Error).message}`,
        ),
      );
    }
    const fields: Record<string, unknown> = {};
    const files: ApiBody["files"] = new Map();
    let failed = false;
    const fail = (err: ApiError) => {
      if (failed) return;
      failed = true;
      req.unpipe(bb);
      req.resume();
      reject(err);
    };
    bb.on("field", (name, value, info) => {
      if (info.valueTruncated)
        return fail(new ApiError(413, "field_too_large", `The field '${name}' is too long.`, name));
      setField(fields, name, value);
    });
    bb.on("file", (name, stream, info) => {
      if (!opts.files.includes(name)) {
        stream.resume();
        return fail(
          new ApiError(
            400,
            "unexpected_file",
            `A file is not accepted in the field '${name}'.`,
            name,
          ),
        );
      }
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("limit", () =>
        fail(
          new ApiError(
            413,
            "file_too_large",
            `The file in '${name}' is over ${(opts.maxFileBytes / 1048576).toFixed(0)} MB.`,
            name,
          ),
        ),
      );
      stream.on("end", () => {
        if (!failed)
          files.set(name, {
            bytes: Buffer.concat(chunks),
            filename: info.filename ?? name,
            contentType: info.mimeType,
          });
      });
    });
    bb.on("filesLimit", () => fail(new ApiError(413, "too_many_files", "Too many files.")));
    bb.on("partsLimit", () => fail(new ApiError(413, "too_many_fields", "Too many fields.")));
    bb.on("error", (err) =>
      fail(
        new ApiError(
          400,
          "invalid_multipart",
          `Malformed multipart body: ${(err as Error).message}`,
        ),
      ),
    );
    bb.on("close", () => {
      if (!failed) resolve({ fields, files });
    });
    req.pipe(bb);
  });
}
