import { testDatabaseUrl, testPool, uniq } from "@reelhouse/shared/testing/db";
import { afterAll, describe, expect, it } from "vitest";
import { runAdmin } from "./admin.ts";

const pool = testPool();
afterAll(() => pool.end());

describe("npm run admin", () => {
  it("create makes an administrator and prints 4 invite codes; invites lists them; a second create with the same username in another case is refused", async () => {
    const username = uniq("Admin").slice(0, 24);
    const email = `${username}@example.com`;
    const out = await runAdmin(testDatabaseUrl(), [
      "create",
      "--email",
      email,
      "--username",
      username,
      "--password",
      "velvet-harbor-lantern-42",
      "--birthdate",
      "1980-01-01",
    ]);
    const codes = [...out.matchAll(/^ {2}([A-Z0-9]{5}-[A-Z0-9]{5})$/gm)].map((m) => m[1]);
    expect(out).toContain(`Created administrator @${username}`);
    expect(codes).toHaveLength(4);
    const row = await pool.query("SELECT is_admin, is_minor FROM users WHERE email = $1", [
      email.toLowerCase(),
    ]);
    expect(row.rows[0]).toEqual({ is_admin: true, is_minor: false });

    const list = await runAdmin(testDatabaseUrl(), [
      "invites",
      "--username",
      username.toLowerCase(),
    ]);
    for (const c of codes) expect(list).toContain(`${c}  available`);

    await expect(
      runAdmin(testDatabaseUrl(), [
        "create",
        "--email",
        `other-${email}`,
        "--username",
        username.toUpperCase(),
        "--password",
        "velvet-harbor-lantern-42",
        "--birthdate",
        "1980-01-01",
      ]),
    ).rejects.toThrow("That username is taken");
    expect(
      (await pool.query("SELECT 1 FROM users WHERE email = $1", [`other-${email}`.toLowerCase()]))
        .rowCount,
    ).toBe(0);
  });

  it("waitlist lists people and accept issues them an invite code", async () => {
    const email = `${uniq("wl")}@example.com`;
    await pool.query("INSERT INTO waitlist (email) VALUES ($1)", [email]);
    expect(await runAdmin(testDatabaseUrl(), ["waitlist"])).toContain(`waiting   ${email}`);
    const out = await runAdmin(testDatabaseUrl(), ["waitlist", "accept", email]);
    const code = /invite code ([A-Z0-9]{5}-[A-Z0-9]{5})/.exec(out)?.[1];
    expect(code).toBeTruthy();
    const inv = await pool.query("SELECT redeemed_by FROM invite_codes WHERE code = $1", [
      code!.replace("-", ""),
    ]);
    expect(inv.rows[0]).toEqual({ redeemed_by: null });
    // The person is mailed their code (no SMTP here: the outbox holds it).
    expect(out).toContain("is in the outbox");
    const mail = await pool.query(
      "SELECT subject, body_text FROM mail_outbox WHERE to_address = $1",
      [email],
    );
    expect(mail.rows).toHaveLength(1);
    expect(mail.rows[0].body_text).toContain(code);
    await expect(
      runAdmin(testDatabaseUrl(), ["waitlist", "accept", "nobody@example.com"]),
    ).rejects.toThrow("is not on the waitlist");
  });

  it("refuses a weak password, an under-13 birthdate and unknown commands", async () => {
    const base = [
      "create",
      "--email",
      `${uniq("x")}@example.com`,
      "--username",
      uniq("x").slice(0, 20),
    ];
    await expect(
      runAdmin(testDatabaseUrl(), [
        ...base,
        "--password",
        "password123",
        "--birthdate",
        "1980-01-01",
      ]),
    ).rejects.toThrow("most commonly used");
    await expect(
      runAdmin(testDatabaseUrl(), [
        ...base,
        "--password",
        "velvet-harbor-lantern-42",
        "--birthdate",
        "2020-01-01",
      ]),
    ).rejects.toThrow("at least 13");
    await expect(runAdmin(testDatabaseUrl(), ["frobnicate"])).rejects.toThrow(
      'Unknown command "frobnicate"',
    );
  });
});
