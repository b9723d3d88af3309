// Minimal typing of the `ws` package as the ComfyUI backend and its contract test use it
// (@types/ws is not installed). Node 20 has no global WebSocket without a flag.
declare module "ws" {
  import type { EventEmitter } from "node:events";
  import type { Server } from "node:http";

  type Data = Buffer | ArrayBuffer | Buffer[];
  class WebSocket extends EventEmitter {
    constructor(url: string, options?: { headers?: Record<string, string> });
    readonly readyState: number;
    send(data: string | Buffer): void;
    close(code?: number, reason?: string): void;
    terminate(): void;
    on(event: "open", cb: () => void): this;
    on(event: "message", cb: (data: Data, isBinary: boolean) => void): this;
    on(event: "close", cb: (code: number, reason: Buffer) => void): this;
    on(event: "error", cb: (err: Error) => void): this;
  }
  export class WebSocketServer extends EventEmitter {
    constructor(options: { server?: Server; path?: string; port?: number; noServer?: boolean });
    on(
      event: "connection",
      cb: (socket: WebSocket, req: import("node:http").IncomingMessage) => void,
    ): this;
    handleUpgrade(
      req: import("node:http").IncomingMessage,
      socket: import("node:stream").Duplex,
      head: Buffer,
      cb: (ws: WebSocket) => void,
    ): void;
    close(cb?: () => void): void;
    readonly clients: Set<WebSocket>;
  }
  export default WebSocket;
}
