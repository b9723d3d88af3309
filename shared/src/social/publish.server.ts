import { DBOS, DBOSClient } from "@dbos-inc/dbos-sdk";
import type { Pool } from "../db/pool.server.ts";
import { transaction } from "../db/pool.server.ts";
import { DBOS_SCHEMA, systemDatabaseUrl } from "../generation/dbos.server.ts";
import { DBOS_APP_NAME, QUEUES, WORKFLOWS } from "../names.ts";
import { notFound, SocialError } from "./errors.ts";
import { checkPublish, type PublishRequest } from "./posts.server.ts";

/**
 * The web tier's side of publishing: checks the request (permission on the draft, remix rights),
 * then inserts the publish_jobs row and enqueues the `publish` workflow in ONE transaction. The
 * workflow id is `publish:<draft id>`: a double click or a retried request finds the job that is
 * already there (`duplicate: true`) and nothing new is made.
 */

export type PublishInput = { userId: string; workflowId: string; req: PublishRequest };

export type PublishJobView = {
  workflowId: string;
  status: "queued" | "running" | "succeeded" | "failed";
  stage: string;
  error: string | null;
  errorCode: string | null;
  postId: string | null;
};

export const publishWorkflowId = (draftId: string) => `publish:${draftId}`;

export interface PublishService {
  submit(userId: string, input: unknown): Promise<{ job: PublishJobView; duplicate: boolean }>;
  get(userId: string, workflowId: string): Promise<PublishJobView>;
  close(): Promise<void>;
}

type JobRow = {
  workflow_id: string;
  status: PublishJobView["status"];
  stage: string;
  error: string | null;
  error_code: string | null;
  post_id: string | null;
};
const toView = (r: JobRow): PublishJobView => ({
  workflowId: r.workflow_id,
  status: r.status,
  stage: r.stage,
  error: r.error,
  errorCode: r.error_code,
  postId: r.post_id,
});

export async function createPublishService(opts: {
  pool: Pool;
  databaseUrl: string;
}): Promise<PublishService> {
  const { pool } = opts;
  const sysUrl = systemDatabaseUrl(opts.databaseUrl);
  await DBOS.migrate(sysUrl, { schemaName: DBOS_SCHEMA });
  const client = await DBOSClient.create({
    systemDatabaseUrl: sysUrl,
    systemDatabaseSchemaName: DBOS_SCHEMA,
    applicationName: DBOS_APP_NAME,
    systemDatabasePoolSize: 2,
  });
  const read = async (workflowId: string, userId: string) =>
    (
      await pool.query<JobRow>(
        "SELECT workflow_id, status, stage, error, error_code, post_id FROM publish_jobs WHERE workflow_id = $1 AND user_id = $2",
        [workflowId, userId],
      )
    ).rows[0];
  return {
    async submit(userId, input) {
      const { req } = await checkPublish(pool, userId, input);
      const workflowId = publishWorkflowId(req.draftId);
      const created = await transaction(pool, async (c) => {
        const ins = await c.query(
          `INSERT INTO publish_jobs (workflow_id, user_id, draft_id, request) VALUES ($1, $2, $3, $4)
           ON CONFLICT (workflow_id) DO NOTHING`,
          [workflowId, userId, req.draftId, JSON.stringify(req)],
        );
        if ((ins.rowCount ?? 0) === 0) return false;
        const wfInput: PublishInput = { userId, workflowId, req };
        await client.enqueueInTransaction(
          c,
          { queueName: QUEUES.media, workflowName: WORKFLOWS.publish, workflowID: workflowId },
          wfInput,
        );
        return true;
      });
      // The existing job of another editor of the same draft is theirs: report it without details.
      const row = await read(workflowId, userId);
      if (!row)
        throw new SocialError("conflict", "this draft is already being published by someone else");
      return { job: toView(row), duplicate: !created };
    },
    async get(userId, workflowId) {
      const row = await read(workflowId, userId);
      if (!row) throw notFound("publish job");
      return toView(row);
    },
    async close() {
      await client.destroy();
    },
  };
}
