import { asTestUser, makePost } from "@reelhouse/shared/social/test-fixtures";
import { testPool } from "@reelhouse/shared/testing/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboardOverHttp } from "./fixtures.ts";
import { Client, startTestApp, type TestApp, text } from "./harness.ts";

/** Issue 17, small things: counts read as English ("1 follower", "1 video"). */
const pool = testPool();
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
  await pool.end();
});

describe("profile labels", () => {
  it("says 1 follower and 1 video in the singular, 2 followers in the plural", async () => {
    const author = new Client(app.url);
    const a = await onboardOverHttp(author, pool);
    const aId = (await pool.query("SELECT id FROM users WHERE username = $1", [a.username])).rows[0]
      .id;
    await makePost(pool, asTestUser(aId, a.username));
    const fan = new Client(app.url);
    await onboardOverHttp(fan, pool);
    await fan.get(`/u/${a.username}`);
    expect((await fan.post(`/u/${a.username}/follow`, { intent: "follow" })).status).toBe(200);
    const one = text((await fan.get(`/u/${a.username}`)).body);
    expect(one).toMatch(/\b1 follower\b(?!s)/);
    expect(one).toMatch(/\b1 video\b(?!s)/);
    const fan2 = new Client(app.url);
    await onboardOverHttp(fan2, pool);
    await fan2.get(`/u/${a.username}`);
    await fan2.post(`/u/${a.username}/follow`, { intent: "follow" });
    expect(text((await fan2.get(`/u/${a.username}`)).body)).toMatch(/\b2 followers\b/);
  });

  it('counts for a minor only the videos a minor is shown ("2 videos" but 1 shown, issue 17)', async () => {
    const author = new Client(app.url);
    const a = await onboardOverHttp(author, pool);
    const aId = (await pool.query("SELECT id FROM users WHERE username = $1", [a.username])).rows[0]
      .id;
    const forAll = await makePost(pool, asTestUser(aId, a.username), { audience: "all" });
    const adultsOnly = await makePost(pool, asTestUser(aId, a.username), { audience: "adults" });

    const adult = new Client(app.url);
    await onboardOverHttp(adult, pool);
    const seenByAdult = (await adult.get(`/u/${a.username}`)).body;
    expect(text(seenByAdult)).toMatch(/\b2 videos\b/);
    expect(seenByAdult).toContain(`/p/${adultsOnly}`);

    const teen = new Client(app.url);
    const t = await onboardOverHttp(teen, pool);
    await pool.query(
      "UPDATE users SET is_minor = true, birthdate = '2012-06-01' WHERE username = $1",
      [t.username],
    );
    const seenByTeen = (await teen.get(`/u/${a.username}`)).body;
    expect(text(seenByTeen)).toMatch(/\b1 video\b(?!s)/);
    expect(seenByTeen).toContain(`/p/${forAll}`);
    expect(seenByTeen).not.toContain(`/p/${adultsOnly}`);
  });
});
