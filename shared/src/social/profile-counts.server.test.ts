import { afterAll, describe, expect, it } from "vitest";
import { testPool } from "../testing/db.ts";
import { socialProfile } from "./profiles.server.ts";
import { makePost, makeUser } from "./test-fixtures.ts";

const pool = testPool();
afterAll(() => pool.end());

describe("profile counts", () => {
  it("the video count is what the viewer can see: a minor and a visitor don't count adults-only videos", async () => {
    const author = await makeUser(pool);
    await makePost(pool, author, { audience: "all" });
    await makePost(pool, author, { audience: "adults" });
    const adult = await makeUser(pool);
    const minor = await makeUser(pool, { minor: true });
    expect((await socialProfile(pool, adult.viewer, author.username)).postCount).toBe(2);
    expect((await socialProfile(pool, author.viewer, author.username)).postCount).toBe(2);
    expect((await socialProfile(pool, minor.viewer, author.username)).postCount).toBe(1);
    expect((await socialProfile(pool, null, author.username)).postCount).toBe(1);
  });
});
