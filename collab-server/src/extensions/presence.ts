import type { beforeHandleMessagePayload, Extension } from "@hocuspocus/server";
import { CLOSE_CODES } from "@reelhouse/shared/names";
import { CollabRefusal, isCollabContext } from "../context.ts";
import type { Logger } from "../log.ts";
import { MESSAGE_TYPES, parseAwarenessUpdate, parseMessageCached } from "../protocol.ts";

/**
 * Binds presence to the token (docs/collab-spec.md [C42]). Every awareness message is read before
 * Hocuspocus applies it; an entry that would change the document's awareness must:
 * - carry, if it has a `user`, exactly the connection's token identity (`user.id` = the token's
 *   `sub`, `user.name` = its `name`): nobody shows up as someone else;
 * - be for a client id that is not another connection's (a connection may publish, and clear,
 *   only the clients it introduced; clearing someone else's presence is harmless and allowed,
 *   as y-protocols clients relay departures).
 * Entries that change nothing (a provider echoing states it received) pass. Anything else closes
 * the document with `4403 presence not allowed: <why>`, and nothing of the message is applied.
 */
export class PresenceExtension implements Extension {
  extensionName = "reelhouse-presence";
  priority = 135;
  refused = 0;
  constructor(private readonly opts: { log: Logger }) {}

  async beforeHandleMessage({
    update: data,
    connection,
    document,
    documentName,
  }: beforeHandleMessagePayload) {
    const ctx = connection.context;
    if (!isCollabContext(ctx)) return;
    const parsed = parseMessageCached(data);
    if (parsed.type !== MESSAGE_TYPES.awareness || !parsed.awareness) return;
    const own = document.getClients(connection.webSocket);
    const owners = new Map<number, unknown>();
    for (const [socket, c] of document.connections)
      for (const id of c.clients) owners.set(id, socket);
    let problem: string | null = null;
    for (const e of parseAwarenessUpdate(parsed.awareness)) {
      const meta = document.awareness.meta.get(e.clientId);
      const current = meta?.clock ?? 0;
      const effective =
        current < e.clock ||
        (current === e.clock && e.state === null && document.awareness.states.has(e.clientId));
      if (!effective || e.state === null) continue;
      if (owners.has(e.clientId) && !own.has(e.clientId)) {
        problem = "that client is another connection's";
        break;
      }
      problem = identityProblem(e.state, ctx.userId, ctx.name);
      if (problem) break;
    }
    if (!problem) return;
    this.refused++;
    this.opts.log("warn", "presence refused", {
      doc: documentName,
      user: ctx.userId,
      reason: problem,
    });
    throw new CollabRefusal(CLOSE_CODES.forbidden, `presence not allowed: ${problem}`);
  }
}

/** Why an awareness state claims an identity other than the token's, or null. */
export function identityProblem(state: unknown, userId: string, name: string): string | null {
  if (typeof state !== "object" || state === null || Array.isArray(state))
    return "state is not an object";
  if (!("user" in state) || state.user === undefined) return null;
  const user = state.user as { id?: unknown; name?: unknown } | null;
  if (typeof user !== "object" || user === null) return "user is not an object";
  if (user.id !== userId) return "user id is not the one you signed in with";
  if (user.name !== name) return "user name is not the one you signed in with";
  return null;
}
