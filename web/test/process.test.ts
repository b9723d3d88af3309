import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { testDatabaseUrl } from "@reelhouse/shared/testing/db";
import type {} from "@reelhouse/shared/testing/global-setup";
import { afterAll, describe, expect, it } from "vitest";
import { ensureWebBuild, webDir } from "./build.ts";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "rh-web-proc-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("web/server.ts as a process (as the launcher runs it)", () => {
  it("listens on HOST/PORT from the environment, serves pages, and exits 0 on SIGTERM", async () => {
    await ensureWebBuild();
    const child = spawn(process.execPath, ["--import", "tsx", path.join(webDir, "server.ts")], {
      cwd: path.join(webDir, ".."),
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: testDatabaseUrl(),
        AUTH_SECRET: randomBytes(32).toString("base64url"),
        DATA_DIR: dataDir,
        HOST: "127.0.0.1",
        PORT: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stderr.on("data", (c) => {
      output += c;
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening" line:\n${output}`)), 30_000);
      child.stdout.on("data", (c) => {
        output += c;
        const m = /listening on (http:\/\/\S+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}:\n${output}`)));
    });
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("I have an invite code");

    const exited = new Promise<number | null>((resolve) =>
      child.once("exit", (code) => resolve(code)),
    );
    const t0 = Date.now();
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(output).toContain("SIGTERM: closing");
  });

  it("refuses to start without DATABASE_URL, saying how to start it", async () => {
    const { DATABASE_URL: _omit, ...env } = process.env;
    const child = spawn(process.execPath, ["--import", "tsx", path.join(webDir, "server.ts")], {
      cwd: path.join(webDir, ".."),
      env: { ...env, DATA_DIR: dataDir, PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (c) => {
      err += c;
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(err).toContain("DATABASE_URL is not set");
  });
});
