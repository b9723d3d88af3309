import type { beforeHandleMessagePayload, Extension } from "@hocuspocus/server";
import * as Y from "yjs";
import { isCollabContext } from "../context.ts";
import type { Logger } from "../log.ts";
import { parseMessageCached } from "../protocol.ts";

/**
 * Per-document write permission (docs/collab-spec.md [C4]): a connection whose context does not
 * grant `write` is read-only, and any update it sends that would change the document is dropped
 * before it is applied (Hocuspocus answers it with a "not synced" status), so it never reaches
 * other clients or the database. The refusal is logged.
 */
export class AuthorizationExtension implements Extension {
  extensionName = "reelhouse-authorization";
  priority = 150;
  refusedWrites = 0;
  constructor(private readonly opts: { log: Logger }) {}

  async beforeHandleMessage({
    update: data,
    connection,
    document,
    documentName,
  }: beforeHandleMessagePayload) {
    const ctx = connection.context;
    if (isCollabContext(ctx) && ctx.access === "write") return;
    // Belt and braces: whatever set up this connection, without a write grant it is read-only.
    connection.readOnly = true;
    const { update } = parseMessageCached(data);
    if (!update) return;
    if (Y.snapshotContainsUpdate(Y.snapshot(document), update)) return;
    this.refusedWrites++;
    this.opts.log("warn", "write refused on read-only connection", {
      doc: documentName,
      user: isCollabContext(ctx) ? ctx.userId : undefined,
      bytes: update.byteLength,
    });
  }
}
