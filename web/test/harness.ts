import { randomBytes, randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { LocalDiskStorage } from "@reelhouse/shared/media/storage.server";
import { testDatabaseUrl } from "@reelhouse/shared/testing/db";
// Brings in the ProvidedContext declaration (databaseUrl) that testing/db.ts relies on.
import type {} from "@reelhouse/shared/testing/global-setup";
import { createHttpServer } from "../http/limits.ts";
import { type CreateAppOptions, createApp } from "../server.ts";
import { ensureWebBuild } from "./build.ts";

export interface TestApp {
  url: string;
  origin: string;
  storage: LocalDiskStorage;
  close(): Promise<void>;
}

/** The real built app on 127.0.0.1:0 against the test database, with its own media directory. */
export async function startTestApp(overrides: Partial<CreateAppOptions> = {}): Promise<TestApp> {
  const buildDir = await ensureWebBuild();
  const mediaRoot = mkdtempSync(path.join(os.tmpdir(), "rh-media-"));
  const storage = new LocalDiskStorage(mediaRoot);
  const { app, limits, close } = await createApp({
    databaseUrl: testDatabaseUrl(),
    authSecret: randomBytes(32).toString("base64url"),
    storage,
    buildDir,
    maxPhotoBytes: 1024 * 1024,
    ...overrides,
  });
  const server = createHttpServer(app, limits);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    origin: url,
    storage,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await close();
      rmSync(mediaRoot, { recursive: true, force: true });
    },
  };
}

/** A fresh loopback source address (127.x.y.z), so each client is its own "IP" to the server. */
export function loopbackAddress(): string {
  return `127.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(2, 255)}`;
}

export interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A tiny browser: keeps cookies, sends Origin like a browser would on POST, connects from its own
 * loopback address, and picks the CSRF token out of the last page it loaded.
 */
export class Client {
  readonly cookies = new Map<string, string>();
  csrf = "";
  constructor(
    readonly base: string,
    readonly localAddress = loopbackAddress(),
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(res: http.IncomingMessage) {
    for (const line of res.headers["set-cookie"] ?? []) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/Max-Age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  request(
    method: string,
    pathname: string,
    opts: { body?: Buffer | string; headers?: Record<string, string> } = {},
  ): Promise<Res> {
    const url = new URL(pathname, this.base);
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        {
          method,
          localAddress: this.localAddress,
          headers: {
            accept: "text/html",
            ...(this.cookies.size ? { cookie: this.cookieHeader() } : {}),
            ...(opts.body !== undefined
              ? { "content-length": String(Buffer.byteLength(opts.body)) }
              : {}),
            ...Object.fromEntries(Object.entries(opts.headers ?? {}).filter(([, v]) => v !== "")),
          },
        },
        (res) => {
          this.remember(res);
          const chunks: Buffer[] = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () => {
            const body = Buffer.concat(chunks).toString("utf8");
            const token = /name="csrf" value="([^"]+)"/.exec(body)?.[1];
            if (token) this.csrf = token;
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          });
        },
      );
      req.on("error", reject);
      req.end(opts.body);
    });
  }

  get(pathname: string): Promise<Res> {
    return this.request("GET", pathname);
  }

  /** A same-origin urlencoded form POST with the current CSRF token first (as our forms send it). */
  post(
    pathname: string,
    fields: Record<string, string>,
    opts: { csrf?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Res> {
    const params = new URLSearchParams();
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (token !== null) params.set("csrf", token);
    for (const [k, v] of Object.entries(fields)) params.set(k, v);
    return this.request("POST", pathname, {
      body: params.toString(),
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: this.base,
        "sec-fetch-site": "same-origin",
        ...opts.headers,
      },
    });
  }

  /** A same-origin multipart POST: csrf first, then fields, then the file (if any). */
  postMultipart(
    pathname: string,
    fields: Record<string, string>,
    file?: { field: string; filename: string; contentType: string; data: Buffer },
  ): Promise<Res> {
    const { body, contentType } = multipartBody(this.csrf, fields, file);
    return this.request("POST", pathname, {
      body,
      headers: { "content-type": contentType, origin: this.base, "sec-fetch-site": "same-origin" },
    });
  }
}

export function multipartBody(
  csrf: string | null,
  fields: Record<string, string>,
  file?: { field: string; filename: string; contentType: string; data: Buffer },
): { body: Buffer; contentType: string; boundary: string } {
  const boundary = `----rh${randomBytes(8).toString("hex")}`;
  const parts: Buffer[] = [];
  const all = csrf === null ? fields : { csrf, ...fields };
  for (const [k, v] of Object.entries(all)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    );
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
      ),
      file.data,
      Buffer.from("\r\n"),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    body: Buffer.concat(parts),
    contentType: `multipart/form-data; boundary=${boundary}`,
    boundary,
  };
}

/** The text of a page without tags, for asserting on visible messages. */
export function text(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}
