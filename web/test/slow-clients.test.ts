import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loopbackAddress, startTestApp, type TestApp } from "./harness.ts";

/**
 * Issue 16 B7 over real sockets: a client that sends one byte a second, or a Content-Length larger
 * than its body, is cut off (408 or a closed socket) instead of holding a connection forever, and
 * one address cannot hold more than its share of uploads at once. The limits are made small here
 * (the defaults are seconds to minutes); the tests bound their own waiting.
 */

const LIMITS = {
  headersTimeoutMs: 1000,
  requestTimeoutMs: 2000,
  idleTimeoutMs: 4000,
  keepAliveTimeoutMs: 500,
  maxUploadsPerClient: 2,
  maxUploads: 20,
};

let app: TestApp;
let port: number;

beforeAll(async () => {
  app = await startTestApp({ limits: LIMITS });
  port = Number(new URL(app.url).port);
});
afterAll(async () => {
  await app?.close();
});

/** A raw connection from `localAddress` that records what the server sends and when it closes. */
function rawSocket(localAddress = loopbackAddress()) {
  const socket = net.connect({ host: "127.0.0.1", port, localAddress });
  let received = "";
  socket.on("data", (d) => {
    received += d.toString("latin1");
  });
  socket.on("error", () => {});
  const closed = new Promise<void>((r) => socket.once("close", () => r()));
  let dripping: NodeJS.Timeout | undefined;
  return {
    socket,
    received: () => received,
    closed,
    /** Writes one byte of `text` every `everyMs` until the server closes the connection. */
    drip(text: string, everyMs = 1000) {
      let i = 0;
      dripping = setInterval(() => {
        if (socket.destroyed || i >= text.length) return clearInterval(dripping);
        socket.write(text[i++]!);
      }, everyMs);
      void closed.then(() => clearInterval(dripping));
    },
    stop() {
      clearInterval(dripping);
      socket.destroy();
    },
  };
}

/** Resolves "closed" when the socket closes within `ms`, else "open" (the test then fails). */
const closedWithin = (c: { closed: Promise<void> }, ms: number) =>
  Promise.race([
    c.closed.then(() => "closed" as const),
    new Promise<"open">((r) => setTimeout(() => r("open"), ms)),
  ]);

const status = (raw: string) => /^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? "";

describe("B7 slow clients are cut off", () => {
  it("headers sent one byte a second: 408 and closed", async () => {
    const c = rawSocket();
    c.socket.write("GET /signin HTTP/1.1\r\nHost: x\r\n");
    c.drip("X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n");
    expect(await closedWithin(c, 8000)).toBe("closed");
    expect(["408", ""]).toContain(status(c.received()));
    c.stop();
  }, 15_000);

  it("a body sent one byte a second: 408 and closed", async () => {
    const c = rawSocket();
    const body = "login=someone&password=xxxxxxxxxxxxxxxxxxxxxxxxxx";
    c.socket.write(
      `POST /signin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    c.drip(body);
    expect(await closedWithin(c, 8000)).toBe("closed");
    expect(["408", ""]).toContain(status(c.received()));
    c.stop();
  }, 15_000);

  it("a Content-Length larger than the body: 408 and closed, not a hang", async () => {
    const c = rawSocket();
    c.socket.write(
      "POST /signin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nlogin=a",
    );
    expect(await closedWithin(c, 8000)).toBe("closed");
    expect(["408", ""]).toContain(status(c.received()));
    c.stop();
  }, 15_000);

  it("one address may have only maxUploadsPerClient bodies arriving at once; others are unaffected; slots come back", async () => {
    const address = loopbackAddress();
    const head = (n: number) =>
      `POST /signin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${n}\r\n\r\n`;
    const slow = [rawSocket(address), rawSocket(address)];
    for (const s of slow) {
      s.socket.write(head(500));
      s.drip("x".repeat(500), 200);
    }
    await new Promise((r) => setTimeout(r, 300));
    const third = rawSocket(address);
    third.socket.write(`${head(20)}login=a&password=bbb`);
    expect(await closedWithin(third, 5000)).toBe("closed");
    expect(status(third.received())).toBe("429");
    expect(third.received()).toMatch(/Retry-After: 5/i);
    expect(third.received()).toContain("Too many uploads at once from your address (at most 2)");

    // Another address is not refused for the first one's uploads.
    const other = rawSocket();
    other.socket.write(`${head(20)}login=a&password=bbb`);
    await closedWithin(other, 3000);
    expect(status(other.received())).not.toBe("429");
    expect(status(other.received())).not.toBe("");
    other.stop();

    // The slow ones are cut off by the request timeout, and their slots are free again.
    for (const s of slow) expect(await closedWithin(s, 8000)).toBe("closed");
    const again = rawSocket(address);
    again.socket.write(`${head(20)}login=a&password=bbb`);
    await closedWithin(again, 3000);
    expect(status(again.received())).not.toBe("429");
    expect(status(again.received())).not.toBe("");
    for (const s of [...slow, third, again]) s.stop();
  }, 30_000);

  it("an ordinary request on the same server still works", async () => {
    const res = await fetch(`${app.url}/signin`);
    expect(res.status).toBe(200);
  });
});
