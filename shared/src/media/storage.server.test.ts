import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { LocalDiskStorage, MediaNotFoundError, MediaTooLargeError } from "./storage.server.ts";

const root = mkdtempSync(path.join(os.tmpdir(), "rh-storage-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

describe("LocalDiskStorage", () => {
  const storage = new LocalDiskStorage(root);

  it("stores a stream under a uuid, opens it by id, deletes it", async () => {
    const stored = await storage.put(Readable.from([Buffer.from("hello "), Buffer.from("world")]), {
      maxBytes: 100,
    });
    expect(stored.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored.bytes).toBe(11);
    const { stream, bytes } = await storage.open(stored.id);
    expect(bytes).toBe(11);
    expect(Buffer.concat(await stream.toArray()).toString()).toBe("hello world");
    await storage.delete(stored.id);
    await expect(storage.open(stored.id)).rejects.toBeInstanceOf(MediaNotFoundError);
  });

  it("stops reading as soon as the limit is passed and leaves no partial file", async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 16 * 1024;
        this.push(Buffer.alloc(16 * 1024));
      },
    });
    const before = files(root).length;
    await expect(storage.put(endless, { maxBytes: 100 * 1024 })).rejects.toBeInstanceOf(
      MediaTooLargeError,
    );
    expect(produced).toBeLessThan(1024 * 1024);
    expect(files(root).length).toBe(before);
    expect(readdirSync(storage.tmpDir)).toEqual([]);
  });

  it("ids are never paths: traversal attempts are simply not found", async () => {
    await expect(storage.open("../../etc/passwd")).rejects.toBeInstanceOf(MediaNotFoundError);
    await expect(storage.delete("../x")).resolves.toBeUndefined();
  });
});
