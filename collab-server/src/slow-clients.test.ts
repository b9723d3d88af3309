import net from "node:net";
import { docName } from "@reelhouse/shared/collab/docs";
import { addShot, listShots, userOrigin } from "@reelhouse/shared/collab/schema";
import { testPool } from "@reelhouse/shared/testing/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CollabServer, createCollabServer } from "./server.ts";
import { type Client, connect, makeTeam, SECRET, sleep, tokenFor, waitFor } from "./testing.ts";

/**
 * Issue 16 B7 on the collab server's HTTP side, over real sockets: a client dripping its upgrade
 * request one byte a second is answered 408 and closed; one declaring a body it never sends is
 * closed right after its answer; WebSocket sessions are not affected by the HTTP deadline.
 */

const pool = testPool(5);
let srv: CollabServer;
const clients: Client[] = [];

beforeAll(async () => {
  srv = await createCollabServer({
    pool,
    secret: SECRET,
    port: 0,
    pollMs: 60_000,
    httpRequestTimeoutMs: 1500,
    log: () => {},
  });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await srv?.close();
  await pool.end();
});

function raw() {
  const socket = net.connect({ host: "127.0.0.1", port: srv.port });
  let received = "";
  socket.on("data", (d) => {
    received += d.toString("latin1");
  });
  socket.on("error", () => {});
  const closed = new Promise<"closed">((r) => socket.once("close", () => r("closed")));
  return { socket, closed, received: () => received };
}

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<"open">((r) => setTimeout(() => r("open"), ms))]);

describe("B7 the collab server cuts off slow HTTP clients", () => {
  it("an upgrade request sent one byte a second: 408 and closed", async () => {
    const c = raw();
    const request =
      "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n";
    let i = 0;
    const drip = setInterval(() => {
      if (!c.socket.destroyed && i < request.length) c.socket.write(request[i++]!);
    }, 1000);
    try {
      expect(await within(c.closed, 8000)).toBe("closed");
      expect(c.received()).toMatch(/^(HTTP\/1\.1 408|$)/);
    } finally {
      clearInterval(drip);
      c.socket.destroy();
    }
  }, 15_000);

  it("a Content-Length larger than the body: answered and closed at once, not held open", async () => {
    const c = raw();
    c.socket.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nhello");
    // Hocuspocus answers plain HTTP with a greeting without reading bodies; the connection is
    // then closed rather than kept alive with the rest of the declared body outstanding.
    expect(await within(c.closed, 1200)).toBe("closed");
    expect(c.received()).toMatch(/^HTTP\/1\.1 (200|408) /);
    expect(c.received()).toMatch(/Connection: close/i);
    c.socket.destroy();
  }, 15_000);

  it("a WebSocket session outlives the HTTP deadline and keeps syncing", async () => {
    const t = await makeTeam(pool);
    const name = docName(t.projectId, "storyboard");
    const a = connect(srv.url, name, tokenFor(t.owner.id));
    const b = connect(srv.url, name, tokenFor(t.editor.id));
    clients.push(a, b);
    await Promise.all([a.ready, b.ready]);
    await sleep(2500);
    addShot(a.doc, { prompt: "still here" }, userOrigin(t.owner.id));
    await waitFor(() => listShots(b.doc).length === 1, 5000, "the shot at b");
    expect(a.closes).toEqual([]);
    expect(b.closes).toEqual([]);
  }, 20_000);
});
