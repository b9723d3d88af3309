/**
 * `npm run bench -- feed`: the social feed at scale (issue 6). Generates 100k users, 1M posts,
 * ~10M likes and 2M follows with INSERT … SELECT generate_series (set-based, no row-by-row inserts)
 * into a dedicated database `reelhouse_bench_feed` (kept and reused on later runs), then measures
 * p50/p99 of the For you and Following endpoints under 50 concurrent clients (wrk, see
 * lib-load.ts, against a real HTTP server calling the same shared/src/social functions as the web
 * routes), and in the same run a baseline endpoint serving the 20 newest posts from one index.
 * Goal: p99 ≤ 50 ms. Also reports the CPU each request costs the server and Postgres (from /proc,
 * which holds up on a noisy machine better than latency does) and the plans the server runs.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { withDatabase } from "@reelhouse/shared/db/cli-database.server";
import { migrate } from "@reelhouse/shared/db/migrate.server";
import { createPool, type Pool, type PoolClient } from "@reelhouse/shared/db/pool.server";
import { createDatabase } from "@reelhouse/shared/db/provision.server";
import { following, forYou, newest } from "@reelhouse/shared/social/feed.server";
import { loadViewer } from "@reelhouse/shared/social/viewer.server";
import { clusterMeter, cpuMeter, postmasterOf } from "./lib-cpu.ts";
import { type LoadResult, load, pickLoadGenerator } from "./lib-load.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const DB_NAME = "reelhouse_bench_feed";
const DATASET = "bench.feed.v2";
const USERS = 100_000;
const POSTS = 1_000_000;
const TARGET_LIKES = 10_000_000;
const FOLLOWS_PER_USER = 20; // 2M follows
const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_FEED_SECONDS ?? 10);
/** The bench server's connection pool: the web app's size (web/server.ts) unless BENCH_POOL. */
const POOL = Number(process.env.BENCH_POOL ?? 10);

const log = (msg: string) => console.error(`[bench:feed] ${msg}`);
const uuidSql = (prefix: string, expr: string) =>
  `('${prefix}-0000-4000-8000-' || lpad(to_hex(${expr}), 12, '0'))::uuid`;
const USER = (expr: string) => uuidSql("00000000", expr);
const POST = (expr: string) => uuidSql("00000001", expr);

async function timed<T>(
  label: string,
  fn: () => Promise<T>,
  timings: Record<string, number>,
): Promise<T> {
  const t = performance.now();
  const out = await fn();
  timings[label] = Math.round(performance.now() - t);
  log(`${label}: ${(timings[label]! / 1000).toFixed(1)} s`);
  return out;
}

/** Secondary (non-constraint) indexes of a table: dropped for the bulk load, recreated after. */
async function secondaryIndexes(
  pool: Pool | PoolClient,
  table: string,
): Promise<{ name: string; def: string }[]> {
  const r = await pool.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = $1
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [table],
  );
  return r.rows;
}

async function generate(pool: Pool): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  const c = await pool.connect();
  try {
    // One transaction: the indexes dropped for the load come back even if it fails half-way.
    await c.query("BEGIN");
    await c.query("SET LOCAL session_replication_role = replica"); // no FK/trigger work during the load
    await c.query("SET LOCAL maintenance_work_mem = '512MB'");
    await c.query("SET LOCAL work_mem = '256MB'");
    await c.query("SELECT setseed(0.42)");
    await c.query(
      "TRUNCATE users, posts, likes, follows, blocks, social_profiles, comments, post_hashtags CASCADE",
    );
    const dropped: { name: string; def: string }[] = [];
    for (const t of ["posts", "likes", "follows", "users"]) {
      for (const ix of await secondaryIndexes(c, t)) {
        dropped.push(ix);
        await c.query(`DROP INDEX ${ix.name}`);
      }
    }
    await timed(
      "users",
      () =>
        c.query(
          `INSERT INTO users (id, email, username, password_hash, birthdate, is_minor)
           SELECT ${USER("i")}, 'user' || i || '@bench.test', 'user' || i, 'x',
                  CASE WHEN i % 10 = 0 THEN date '2010-06-01' ELSE date '1990-01-01' END, i % 10 = 0
             FROM generate_series(0, ${USERS - 1}) i`,
        ),
      timings,
    );
    // Per post: its author (skewed: a few prolific creators), age, audience and like count
    // (heavy-tailed, mean ≈ 10). Likes are generated from the same counts, so the denormalized
    // like_count matches the likes table by construction.
    await timed(
      "posts",
      async () => {
        await c.query(
          `CREATE TEMP TABLE bench_gen_posts ON COMMIT DROP AS
           SELECT i, floor(${USERS} * power(random(), 2))::int AS author,
                  now() - random() * interval '60 days' AS published_at,
                  CASE WHEN random() < 0.05 THEN 'adults' ELSE 'all' END AS audience,
                  least(5000, floor(5 * power(-ln(1 - random()), 2)))::int AS likes
             FROM generate_series(0, ${POSTS - 1}) i`,
        );
        const total = await c.query<{ n: number }>(
          "SELECT sum(likes)::bigint AS n FROM bench_gen_posts",
        );
        // Scale like counts so the total lands on the target.
        const f = TARGET_LIKES / total.rows[0]!.n;
        await c.query(
          `UPDATE bench_gen_posts SET likes = least(${USERS}, round(likes * ${f}))::int`,
        );
        await c.query(
          `INSERT INTO posts (id, author_id, caption, prompt, status, audience, like_count, published_at, created_at)
           SELECT ${POST("i")}, ${USER("author")}, 'post ' || i, 'a prompt', 'published', audience, likes, published_at, published_at
             FROM bench_gen_posts`,
        );
      },
      timings,
    );
    await timed(
      "likes",
      () =>
        c.query(
          `INSERT INTO likes (post_id, user_id, created_at)
           SELECT ${POST("g.i")}, ${USER(`((g.i::bigint * 7919 + j) % ${USERS})::int`)}, g.published_at
             FROM bench_gen_posts g, generate_series(0, g.likes - 1) j`,
        ),
      timings,
    );
    await timed(
      "follows",
      () =>
        c.query(
          // Half of each user's follows go to the 1,000 most prolific creators, half anywhere.
          `INSERT INTO follows (follower_id, followee_id)
           SELECT DISTINCT ${USER("u")}, ${USER("f")} FROM (
             SELECT u, CASE WHEN k < ${FOLLOWS_PER_USER / 2} THEN floor(1000 * power(((u * 7 + k * 13) % 1000) / 1000.0, 2))::int % ${USERS}
                            ELSE (u + 1 + k * 4999) % ${USERS} END AS f
               FROM generate_series(0, ${USERS - 1}) u, generate_series(0, ${FOLLOWS_PER_USER - 1}) k) x
            WHERE f <> u`,
        ),
      timings,
    );
    await timed(
      "counters",
      () =>
        c.query(
          `INSERT INTO social_profiles (user_id, follower_count, following_count)
           SELECT u.id, coalesce(a.n, 0), coalesce(b.n, 0) FROM users u
             LEFT JOIN (SELECT followee_id, count(*)::int n FROM follows GROUP BY 1) a ON a.followee_id = u.id
             LEFT JOIN (SELECT follower_id, count(*)::int n FROM follows GROUP BY 1) b ON b.follower_id = u.id`,
        ),
      timings,
    );
    await timed(
      "indexes",
      async () => {
        for (const ix of dropped) await c.query(ix.def);
      },
      timings,
    );
    await c.query(
      `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [DATASET, JSON.stringify({ generatedAt: new Date().toISOString(), timings })],
    );
    await timed("commit", () => c.query("COMMIT"), timings);
    await timed(
      "analyze",
      () => c.query("VACUUM ANALYZE users, posts, likes, follows, social_profiles"),
      timings,
    );
  } catch (err) {
    await c.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    c.release();
  }
  return timings;
}

function startServer(databaseUrl: string): Promise<{ port: number; proc: ChildProcess }> {
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(here, "lib-feed-server.ts")], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NODE_ENV: "production",
      BENCH_POOL: String(POOL),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let buf = "";
    proc.stdout!.setEncoding("utf8").on("data", (d: string) => {
      buf += d;
      const m = /\{"port":(\d+)\}/.exec(buf);
      if (m) resolve({ port: Number(m[1]), proc });
    });
    proc.once("exit", (code) => reject(new Error(`feed server exited (${code})`)));
  });
}

/**
 * EXPLAIN ANALYZE of the exact statements the endpoints run for one typical viewer: the feed
 * functions are called with a recording query function, then each recorded statement is prepared
 * and explained as the server runs it. Named statements run on a generic plan after their fifth
 * execution on a connection (pg_prepared_statements shows it), and a generic plan can differ from
 * the custom plan that an EXPLAIN with the values inlined shows, so the plan is forced generic.
 */
async function explain(pool: Pool): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const viewer = await loadViewer(pool, "00000000-0000-4000-8000-00000000abcd");
  const c = await pool.connect();
  const recorded: Record<string, { text: string; values: unknown[] }[]> = {};
  const recorder = (name: string) =>
    ({
      query: (cfg: string | { text: string; values?: unknown[] }, values?: unknown[]) => {
        const text = typeof cfg === "string" ? cfg : cfg.text;
        const vals = typeof cfg === "string" ? (values ?? []) : (cfg.values ?? []);
        recorded[name] = [...(recorded[name] ?? []), { text, values: vals }];
        return pool.query(text, vals as unknown[]);
      },
    }) as unknown as Pool;
  await forYou(recorder("forYou"), viewer, null, 10);
  await following(recorder("following"), viewer, null, 10);
  await newest(recorder("newest"), viewer, 20);
  try {
    await c.query("SET plan_cache_mode = force_generic_plan");
    let k = 0;
    for (const [name, statements] of Object.entries(recorded)) {
      let total = 0;
      for (const [i, st] of statements.entries()) {
        const ps = `bench_explain_${k++}`;
        await c.query(`PREPARE ${ps} AS ${st.text}`);
        const args = st.values
          .map((v) => (v === null || v === undefined ? "NULL" : c.escapeLiteral(literal(v))))
          .join(", ");
        const sql = `EXECUTE ${ps}${args ? `(${args})` : ""}`;
        for (let w = 0; w < 3; w++) await c.query(sql); // warm the caches as a busy server has them
        const r = await c.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`);
        const lines = r.rows.map((x) => x["QUERY PLAN"]);
        total += Number(
          /([\d.]+) ms/.exec(lines.find((l) => l.startsWith("Execution Time")) ?? "")?.[1] ?? 0,
        );
        log(`EXPLAIN ${name} #${i + 1} (generic plan):\n  ${lines.join("\n  ")}`);
      }
      out[`${name}Ms`] = Math.round(total * 1000) / 1000;
      out[`${name}Statements`] = statements.length;
    }
  } finally {
    await c.query("DEALLOCATE ALL; RESET plan_cache_mode").catch(() => {});
    c.release();
  }
  return out;
}

const SAMPLE_VIEWERS = 50;

/** Share of sampled viewers (spread like the load's) whose first page of `pathname` is full. */
async function fullPages(port: number, pathname: string, limit: number): Promise<number> {
  let full = 0;
  for (let i = 0; i < SAMPLE_VIEWERS; i++) {
    const viewer = ((i + 1) * 7919) % USERS;
    const res = await fetch(`http://127.0.0.1:${port}${pathname}?viewer=${viewer}`);
    const body = (await res.json()) as { posts?: unknown[] };
    if (res.ok && body.posts?.length === limit) full++;
  }
  return Math.round((full / SAMPLE_VIEWERS) * 100) / 100;
}

/** A bound value as the text Postgres receives for it (what node-postgres sends). */
function literal(v: unknown): string {
  if (Array.isArray(v))
    return `{${v.map((x) => (x === null ? "NULL" : `"${literal(x)}"`)).join(",")}}`;
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

export async function main(): Promise<Record<string, unknown>> {
  return withDatabase(async (serverUrl) => {
    let url = await createDatabase(serverUrl, DB_NAME);
    await migrate(url);
    let pool = createPool(url, 2);
    try {
      // Reuse only a complete data set: the marker row and every index of the migrations.
      const have = await pool.query(
        `SELECT value FROM settings WHERE key = $1
            AND EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'posts_hot')
            AND EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'likes_user')`,
        [DATASET],
      );
      let generation: Record<string, number> | "reused" = "reused";
      if (!have.rows[0]) {
        // Start from a fresh database: nothing of an interrupted earlier run can leak in.
        await pool.end();
        const admin = createPool(serverUrl, 1);
        await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
        await admin.end();
        url = await createDatabase(serverUrl, DB_NAME);
        await migrate(url);
        pool = createPool(url, 2);
        log("generating the data set (first run only)…");
        generation = await generate(pool);
      } else log("reusing the generated data set");
      const counts = (
        await pool.query<{ users: number; posts: number; likes: number; follows: number }>(
          `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM posts)::int AS posts,
                  (SELECT count(*) FROM likes)::int AS likes, (SELECT count(*) FROM follows)::int AS follows`,
        )
      ).rows[0]!;
      log(`data: ${JSON.stringify(counts)}`);
      const plans = await explain(pool);
      const gen = pickLoadGenerator(log);
      const server = await startServer(url);
      try {
        const endpoints = ["/newest", "/for-you", "/following"] as const;
        const run = (pathname: string, seconds: number) =>
          load(gen, {
            port: server.port,
            pathname,
            seconds,
            connections: CONNECTIONS,
            users: USERS,
          });
        for (const e of endpoints) await run(e, 2); // warm-up
        const postmaster = postmasterOf(DB_NAME);
        const results: Record<
          string,
          LoadResult & { cpuUs?: { server: number; postgres: number } }
        > = {};
        for (const e of endpoints) {
          const serverCpu = cpuMeter([server.proc.pid!]);
          const pgCpu = clusterMeter(postmaster);
          const r = await run(e, SECONDS);
          const [s, p] = [serverCpu(), pgCpu()];
          const perReq = (us: number) => Math.round(us / Math.max(r.requests, 1));
          results[e] =
            s === null || p === null
              ? r
              : { ...r, cpuUs: { server: perReq(s), postgres: perReq(p) } };
          log(`${e}: ${JSON.stringify(results[e])}`);
        }
        // A fast empty page would pass the latency goal: sampled viewers must get full pages.
        const full = {
          forYou: await fullPages(server.port, "/for-you", 10),
          following: await fullPages(server.port, "/following", 10),
        };
        log(`full pages among ${SAMPLE_VIEWERS} sampled viewers: ${JSON.stringify(full)}`);
        const base = results["/newest"]!;
        const fy = results["/for-you"]!;
        const fo = results["/following"]!;
        const ratio = (a: number, b: number) => Math.round((a / Math.max(b, 0.01)) * 100) / 100;
        return {
          data: counts,
          generationMs: generation,
          connections: CONNECTIONS,
          seconds: SECONDS,
          loadGenerator: gen,
          pool: POOL,
          baselineNewest: base,
          forYou: fy,
          following: fo,
          ratios: {
            forYouP50VsBaseline: ratio(fy.p50, base.p50),
            forYouP99VsBaseline: ratio(fy.p99, base.p99),
            followingP50VsBaseline: ratio(fo.p50, base.p50),
            followingP99VsBaseline: ratio(fo.p99, base.p99),
          },
          explainMs: plans,
          goal: "p99 <= 50 ms for For you and Following",
          fullPages: full,
          ok:
            fy.p99 <= 50 &&
            fo.p99 <= 50 &&
            fy.errors === 0 &&
            fo.errors === 0 &&
            full.forYou >= 0.9 &&
            full.following >= 0.9,
        };
      } finally {
        server.proc.kill("SIGTERM");
      }
    } finally {
      await pool.end();
    }
  });
}
