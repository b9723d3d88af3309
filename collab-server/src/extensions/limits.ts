import type { beforeHandleMessagePayload, Extension } from "@hocuspocus/server";
import { CLOSE_CODES } from "@reelhouse/shared/names";
import * as Y from "yjs";
import { CollabRefusal } from "../context.ts";
import type { Logger } from "../log.ts";
import { MalformedMessageError, parseMessageCached } from "../protocol.ts";

export type LimitsOptions = {
  /** Largest message accepted on a document connection, bytes (default 1 MiB). */
  maxMessageBytes?: number;
  /** Sustained messages per second per connection (default 300) ... */
  messagesPerSecond?: number;
  /** ... with this burst (default 1000). */
  burst?: number;
  log: Logger;
};

type Bucket = { tokens: number; at: number };

/**
 * Size limits, malformed-message checks and a per-connection rate limit (docs/collab-spec.md
 * [C8]). A refused message closes only the offending document connection, with a logged reason;
 * nothing of it is applied, and every other connection keeps working. Runs before every other
 * message hook.
 */
export class LimitsExtension implements Extension {
  extensionName = "reelhouse-limits";
  priority = 300;
  readonly maxMessageBytes: number;
  private readonly rate: number;
  private readonly burst: number;
  private readonly buckets = new WeakMap<object, Bucket>();

  constructor(private readonly opts: LimitsOptions) {
    this.maxMessageBytes = opts.maxMessageBytes ?? 1024 * 1024;
    this.rate = opts.messagesPerSecond ?? 300;
    this.burst = opts.burst ?? 1000;
  }

  async beforeHandleMessage({
    update: data,
    connection,
    documentName,
    context,
  }: beforeHandleMessagePayload) {
    const refuse = (code: number, text: string) => {
      this.opts.log("warn", "message refused", {
        doc: documentName,
        socket: connection.socketId,
        user: context?.userId,
        bytes: data.byteLength,
        code,
        reason: text,
      });
      return new CollabRefusal(code, text);
    };
    if (data.byteLength > this.maxMessageBytes)
      throw refuse(
        CLOSE_CODES.tooLarge,
        `message of ${data.byteLength} bytes exceeds ${this.maxMessageBytes}`,
      );

    const now = Date.now();
    const b = this.buckets.get(connection) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.rate);
    b.at = now;
    this.buckets.set(connection, b);
    if (b.tokens < 1) throw refuse(CLOSE_CODES.rateLimited, "too many messages");
    b.tokens -= 1;

    let parsed: ReturnType<typeof parseMessageCached>;
    try {
      parsed = parseMessageCached(data);
    } catch (e) {
      throw refuse(
        CLOSE_CODES.malformed,
        e instanceof MalformedMessageError ? e.message : "malformed message",
      );
    }
    if (parsed.update) {
      try {
        // Decoding walks every struct; garbage throws here instead of half-applying.
        Y.decodeUpdate(parsed.update);
      } catch {
        throw refuse(CLOSE_CODES.malformed, "malformed Yjs update");
      }
    }
  }
}
