import { spawnSync } from "node:child_process";
import { chownSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, PortInUseError, startEmbeddedPostgres } from "./embedded-postgres.server.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const isRoot = process.getuid?.() === 0;
const repo = path.resolve(here, "../../..");
/** As root, the unprivileged `postgres` user must be able to read this checkout to run code from it. */
const userCanReadRepo =
  isRoot &&
  spawnSync("runuser", [
    "-u",
    "postgres",
    "--",
    "test",
    "-r",
    path.join(repo, "node_modules", "tsx", "package.json"),
  ]).status === 0;

describe("embedded Postgres", () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "reelhouse-epg-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("starts a real server as the current user, keeps data across a restart, and stops", async () => {
    const dir = path.join(tmp, "cluster");
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dir, port });
    const c = new pg.Client({ connectionString: first.url });
    await c.connect();
    await c.query("CREATE TABLE kept (v text)");
    await c.query("INSERT INTO kept VALUES ('still here')");
    await c.end();
    await first.stop();

    const second = await startEmbeddedPostgres({ dir, port });
    const c2 = new pg.Client({ connectionString: second.url });
    await c2.connect();
    const rows = await c2.query("SELECT v FROM kept");
    await c2.end();
    await second.stop();
    expect(rows.rows).toEqual([{ v: "still here" }]);
  });

  it("names the port and its variable when the port is taken", async () => {
    const port = await freePort();
    const running = await startEmbeddedPostgres({
      dir: path.join(tmp, "a"),
      port,
      ephemeral: true,
    });
    try {
      await expect(
        startEmbeddedPostgres({ dir: path.join(tmp, "b"), port, ephemeral: true }),
      ).rejects.toThrow(PortInUseError);
      await expect(
        startEmbeddedPostgres({ dir: path.join(tmp, "b"), port, ephemeral: true }),
      ).rejects.toThrow(`Port ${port} is already in use. Set PG_PORT`);
    } finally {
      await running.stop();
    }
  });

  // As root (CI), the test above exercised the root path (server run as the `postgres` user);
  // this one proves the normal-user path by running the same code as an unprivileged user.
  it.runIf(userCanReadRepo)("also starts as a normal (non-root) user", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "reelhouse-epg-user-"));
    chownSync(home, uidOf("postgres"), gidOf("postgres"));
    const script = path.join(home, "start.mts");
    writeFileSync(
      script,
      `import { freePort, startEmbeddedPostgres } from ${JSON.stringify(path.join(here, "embedded-postgres.server.ts"))};
const pg = await startEmbeddedPostgres({ dir: ${JSON.stringify(path.join(home, "pg"))}, port: await freePort(), ephemeral: true });
console.log("uid=" + process.getuid() + " url=" + pg.url);
await pg.stop();
console.log("stopped");`,
      { mode: 0o644 },
    );
    const res = spawnSync(
      "runuser",
      ["-u", "postgres", "--", "env", `HOME=${home}`, process.execPath, "--import", "tsx", script],
      {
        cwd: repo,
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    rmSync(home, { recursive: true, force: true });
    expect(res.stderr).toBe("");
    expect(res.stdout).toMatch(new RegExp(`uid=${uidOf("postgres")} url=postgres://`));
    expect(res.stdout).toContain("stopped");
  });
});

function uidOf(user: string): number {
  return Number(spawnSync("id", ["-u", user], { encoding: "utf8" }).stdout.trim());
}
function gidOf(user: string): number {
  return Number(spawnSync("id", ["-g", user], { encoding: "utf8" }).stdout.trim());
}
