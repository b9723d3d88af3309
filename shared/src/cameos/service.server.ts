import { createHmac, timingSafeEqual } from "node:crypto";
import { DBOSClient } from "@dbos-inc/dbos-sdk";
import { type Pool, transaction } from "../db/pool.server.ts";
import { DBOS_SCHEMA, ensureDbosSchema, systemDatabaseUrl } from "../generation/dbos.server.ts";
import { DBOS_APP_NAME, QUEUES, WORKFLOWS } from "../names.ts";
import { dataDir } from "../paths.server.ts";
import { type CameoKind, type CameoView, deleteCameo, revoke } from "./cameos.server.ts";
import { CameoError } from "./errors.ts";
import { type LivenessPlan, planLiveness } from "./liveness.ts";
import { storeRecording } from "./recording.server.ts";

/**
 * The web tier's cameo service: issues the liveness prompts (signed, so the upload carries back
 * exactly what the page showed), stores a validated recording and enqueues the `cameo` workflow
 * by name in one transaction, and cancels workflows when consent is revoked or a cameo deleted.
 */

export function issuePlan(secret: string, now = Date.now()): { plan: LivenessPlan; token: string } {
  const plan = planLiveness();
  const body = Buffer.from(JSON.stringify({ plan, at: now })).toString("base64url");
  const mac = createHmac("sha256", secret).update(`cameo-plan.${body}`).digest("base64url");
  return { plan, token: `${body}.${mac}` };
}

export function readPlan(secret: string, token: unknown, now = Date.now()): LivenessPlan {
  const bad = () =>
    new CameoError(
      "liveness_plan",
      "The recording prompts expired or were changed; record again.",
      400,
    );
  if (typeof token !== "string" || token.length > 2000) throw bad();
  const [body, mac] = token.split(".");
  if (!body || !mac) throw bad();
  const want = createHmac("sha256", secret).update(`cameo-plan.${body}`).digest();
  const got = Buffer.from(mac, "base64url");
  if (got.length !== want.length || !timingSafeEqual(got, want)) throw bad();
  const { plan, at } = JSON.parse(Buffer.from(body, "base64url").toString()) as {
    plan: LivenessPlan;
    at: number;
  };
  if (!(now - at < 15 * 60_000)) throw bad();
  return plan;
}

export interface CameoService {
  submit(
    ownerId: string,
    target: { cameoId: string } | { kind: CameoKind; name?: string },
    bytes: Uint8Array,
    planToken: string | null,
    /**
     * A plan the caller vouches for instead of a signed token: the Videos API's published order
     * (shared/src/api/characters.server.ts), for clients that cannot be shown prompts.
     */
    opts?: { plan?: LivenessPlan },
  ): Promise<{ cameo: CameoView; workflowId: string }>;
  revoke(ownerId: string, cameoId: string, username: string): Promise<{ cancelled: string[] }>;
  remove(ownerId: string, cameoId: string): Promise<void>;
  close(): Promise<void>;
}

export async function createCameoService(opts: {
  pool: Pool;
  databaseUrl: string;
  secret: string;
  root?: string;
}): Promise<CameoService> {
  const { pool, secret } = opts;
  const root = opts.root ?? dataDir();
  await ensureDbosSchema(opts.databaseUrl);
  const client = await DBOSClient.create({
    systemDatabaseUrl: systemDatabaseUrl(opts.databaseUrl),
    systemDatabaseSchemaName: DBOS_SCHEMA,
    applicationName: DBOS_APP_NAME,
    systemDatabasePoolSize: 2,
  });
  const cancel = async (ids: (string | null)[]) => {
    for (const id of ids) if (id) await client.cancelWorkflow(id).catch(() => {});
  };
  return {
    async submit(ownerId, target, bytes, planToken, o = {}) {
      const kind = "cameoId" in target ? null : target.kind;
      // A person's recording must answer the prompts the page showed; pets and objects have none.
      const needsPlan =
        kind === "person" ||
        ("cameoId" in target &&
          (await pool.query("SELECT kind FROM cameos WHERE id = $1", [target.cameoId])).rows[0]
            ?.kind === "person");
      const plan = needsPlan ? (o.plan ?? readPlan(secret, planToken)) : null;
      const { cameo } = await storeRecording(pool, ownerId, target, bytes, root);
      const workflowId = `cameo:${cameo.id}:${Date.now().toString(36)}`;
      await transaction(pool, async (c) => {
        const prev = await c.query<{ workflow_id: string | null }>(
          "SELECT workflow_id FROM cameos WHERE id = $1 FOR UPDATE",
          [cameo.id],
        );
        await c.query("UPDATE cameos SET workflow_id = $2, liveness = $3 WHERE id = $1", [
          cameo.id,
          workflowId,
          JSON.stringify({ plan }),
        ]);
        await client.enqueueInTransaction(
          c,
          { queueName: QUEUES.media, workflowName: WORKFLOWS.cameo, workflowID: workflowId },
          { workflowId, cameoId: cameo.id },
        );
        return prev.rows[0]?.workflow_id ?? null;
      }).then((prev) => cancel([prev]));
      return { cameo, workflowId };
    },
    async revoke(ownerId, cameoId, username) {
      const out = await revoke(pool, ownerId, cameoId, username);
      await cancel(out.cancelled);
      return out;
    },
    async remove(ownerId, cameoId) {
      const out = await deleteCameo(pool, ownerId, cameoId, root);
      await cancel([out.workflowId]);
    },
    async close() {
      await client.destroy();
    },
  };
}
