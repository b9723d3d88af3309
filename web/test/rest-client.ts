import type { Pool } from "@reelhouse/shared/db/pool.server";
import { expect } from "vitest";
import type { Json } from "./openapi-walk.ts";

/** Small helpers for the REST API tests: a JSON call with an API key, refusals, a seeded owner. */

/** A person (display name "Ada <tag>") who owns a new workspace. */
export async function seedOwner(
  pool: Pool,
  tag: string,
): Promise<{ userId: string; workspaceId: string }> {
  const name = `${tag}${Math.random().toString(36).slice(2, 8)}`;
  const userId = (
    await pool.query<{ id: string }>(
      `INSERT INTO users (email, username, password_hash, birthdate, is_minor, display_name)
       VALUES ($1, $2, 'x', '1990-01-01', false, $3) RETURNING id`,
      [`${name}@example.test`, name, `Ada ${tag}`],
    )
  ).rows[0]!.id;
  const workspaceId = (
    await pool.query<{ id: string }>(
      "INSERT INTO workspaces (name, created_by) VALUES ($1, $2) RETURNING id",
      [`Studio ${name}`, userId],
    )
  ).rows[0]!.id;
  await pool.query(
    "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, 'owner')",
    [workspaceId, userId],
  );
  return { userId, workspaceId };
}

/** `method /v1<p>` with the key (none if null) and a JSON body when given. */
export function apiCall(
  base: string,
  key: string | null,
  method: string,
  p: string,
  body?: unknown,
): Promise<Response> {
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  if (body !== undefined) headers["content-type"] = "application/json";
  return fetch(`${base}/v1${p}`, {
    method: method.toUpperCase(),
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function json(res: Response): Promise<Json> {
  return (await res.json()) as Json;
}

/** An OpenAI-shaped refusal with this status (and param, when given); returns its `error`. */
export async function expectRefusal(
  res: Response,
  status: number,
  param?: string | null,
): Promise<Json> {
  const body = await json(res);
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body.error).toMatchObject({
    message: expect.any(String),
    type: expect.any(String),
    code: expect.any(String),
  });
  expect(body.error).toHaveProperty("param");
  if (param !== undefined) expect(body.error.param).toBe(param);
  return body.error;
}
