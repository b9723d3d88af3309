import { HocuspocusProvider } from "@hocuspocus/provider";
import { signCollabToken } from "@reelhouse/shared/collab/token.server";
import type { Pool } from "@reelhouse/shared/db/pool.server";
import { uniq } from "@reelhouse/shared/testing/db";
import type {} from "@reelhouse/shared/testing/global-setup";
import { createProject } from "@reelhouse/shared/workspaces/projects.server";
import type { Role } from "@reelhouse/shared/workspaces/roles";
import {
  acceptInvite,
  createWorkspace,
  inviteByUsername,
} from "@reelhouse/shared/workspaces/workspaces.server";
import WebSocket from "ws";
import * as Y from "yjs";

/** Test helpers: real users/workspace/project rows, real providers over real WebSockets. */

export const SECRET = "test-secret-0123456789-abcdefghijklmnop";

export async function makeUser(pool: Pool, name = "u"): Promise<{ id: string; username: string }> {
  const username = uniq(name).slice(0, 30);
  const r = await pool.query<{ id: string }>(
    `INSERT INTO users (email, username, password_hash, birthdate, is_minor)
     VALUES ($1, $2, 'x', '1990-01-01', false) RETURNING id`,
    [`${username}@example.test`, username],
  );
  return { id: r.rows[0]!.id, username };
}

export type Team = Record<Role | "outsider", { id: string; username: string }> & {
  workspaceId: string;
  projectId: string;
};

export async function makeTeam(pool: Pool): Promise<Team> {
  const [owner, editor, commenter, viewer, outsider] = await Promise.all(
    ["own", "edi", "com", "vie", "out"].map((n) => makeUser(pool, n)),
  );
  const ws = await createWorkspace(pool, owner!.id, "Team");
  for (const [u, role] of [
    [editor!, "editor"],
    [commenter!, "commenter"],
    [viewer!, "viewer"],
  ] as const) {
    const inv = await inviteByUsername(pool, owner!.id, ws.id, u.username, role);
    await acceptInvite(pool, u.id, inv.id);
  }
  const p = await createProject(pool, owner!.id, ws.id, "Film");
  return {
    owner: owner!,
    editor: editor!,
    commenter: commenter!,
    viewer: viewer!,
    outsider: outsider!,
    workspaceId: ws.id,
    projectId: p.id,
  };
}

/** A member's token; `name` is what the server holds authored comments and presence to. */
export const tokenFor = (userId: string, ttl?: number, name = userId.slice(0, 8)) =>
  signCollabToken(SECRET, { sub: userId, name }, ttl);

export type Client = {
  provider: HocuspocusProvider;
  doc: Y.Doc;
  /** Resolves "synced" or rejects with the permission-denied reason. */
  ready: Promise<void>;
  closes: string[];
  destroy(): void;
};

export function connect(url: string, name: string, token: string, doc = new Y.Doc()): Client {
  const closes: string[] = [];
  let ok!: () => void;
  let fail!: (e: Error) => void;
  const ready = new Promise<void>((res, rej) => {
    ok = res;
    fail = rej;
  });
  ready.catch(() => {});
  const provider = new HocuspocusProvider({
    url,
    name,
    document: doc,
    token,
    WebSocketPolyfill: WebSocket,
    onSynced: () => ok(),
    onAuthenticationFailed: ({ reason }) => fail(new Error(reason)),
    onClose: ({ event }) => {
      if (event.reason) closes.push(event.reason);
    },
    // Fast reconnects keep the tests short.
    delay: 50,
    minDelay: 50,
    maxDelay: 200,
    quiet: true,
  } as ConstructorParameters<typeof HocuspocusProvider>[0]);
  return {
    provider,
    doc,
    ready,
    closes,
    destroy: () => provider.destroy(),
  };
}

export async function waitFor(
  pred: () => boolean | Promise<boolean>,
  ms = 5000,
  what = "condition",
) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Waits until the server acknowledged every local change of this client. */
export function acknowledged(c: Client, ms = 5000) {
  return waitFor(() => c.provider.unsyncedChanges === 0, ms, "acknowledgement");
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
