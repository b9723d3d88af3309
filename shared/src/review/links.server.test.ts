import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Pool, transaction } from "../db/pool.server.ts";
import { makeDraft, makeUser } from "../social/test-fixtures.ts";
import { testPool } from "../testing/db.ts";
import { setStatusAsGuest } from "./approvals.server.ts";
import {
  createReviewLink,
  linkCoversDraft,
  openReviewLink,
  peekReviewLink,
  reviewGuest,
  revokeReviewLink,
} from "./links.server.ts";
import { getStackForMember, stackDraft } from "./stacks.server.ts";

/** Guest review links: what a guest gets, and every way they get nothing. */
let pool: Pool;
beforeAll(() => {
  pool = testPool(4);
});
afterAll(async () => {
  await pool.end();
});

async function setup() {
  const owner = await makeUser(pool);
  const d = await makeDraft(pool, owner);
  await transaction(pool, (c) => stackDraft(c, d.draftId));
  return { owner, ...d };
}

describe("review links", () => {
  it("a guest opens a link with a name and the passphrase, and is known by their cookie while the link lives", async () => {
    const s = await setup();
    const { token, link } = await createReviewLink(pool, s.owner.id, {
      draftId: s.draftId,
      rights: "comment",
      passphrase: "open sesame",
      allowDownload: true,
    });
    expect(link).toMatchObject({ rights: "comment", hasPassphrase: true, allowDownload: true });
    expect(await peekReviewLink(pool, token)).toEqual({ needsPassphrase: true });
    const { guestToken, guest } = await openReviewLink(pool, token, {
      name: "  Carla ",
      passphrase: "open sesame",
    });
    expect(guest.name).toBe("Carla");
    expect((await reviewGuest(pool, guestToken))?.id).toBe(guest.id);
    expect(await linkCoversDraft(pool, guest.link, s.draftId)).toBe(true);
    await revokeReviewLink(pool, s.owner.id, link.id);
    expect(await reviewGuest(pool, guestToken)).toBeNull();
    await expect(peekReviewLink(pool, token)).rejects.toMatchObject({ code: "not_found" });
  });

  it("a wrong passphrase, an expired link, a revoked link and a made-up token all get the same not-found", async () => {
    const s = await setup();
    const { token } = await createReviewLink(pool, s.owner.id, {
      draftId: s.draftId,
      rights: "view",
      passphrase: "open sesame",
    });
    await expect(
      openReviewLink(pool, token, { name: "C", passphrase: "guess" }),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(openReviewLink(pool, token, { name: "C" })).rejects.toMatchObject({
      code: "not_found",
    });
    const expiring = await createReviewLink(pool, s.owner.id, {
      draftId: s.draftId,
      rights: "view",
      ttlSeconds: 60,
    });
    await pool.query(
      "UPDATE review_links SET expires_at = now() - interval '1 second' WHERE id = $1",
      [expiring.link.id],
    );
    await expect(openReviewLink(pool, expiring.token, { name: "C" })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(openReviewLink(pool, "x".repeat(43), { name: "C" })).rejects.toMatchObject({
      code: "not_found",
    });
    expect(
      (
        await pool.query(
          "SELECT count(*)::int AS n FROM review_guests g JOIN review_links l ON l.id = g.link_id WHERE l.project_id = $1",
          [s.projectId],
        )
      ).rows[0].n,
    ).toBe(0);
  });

  it("a guest without a name, and links with bad options, are refused with the reason", async () => {
    const s = await setup();
    const { token } = await createReviewLink(pool, s.owner.id, {
      draftId: s.draftId,
      rights: "view",
    });
    await expect(openReviewLink(pool, token, { name: "   " })).rejects.toThrow(/Give your name/);
    await expect(
      createReviewLink(pool, s.owner.id, { draftId: s.draftId, rights: "view", canApprove: true }),
    ).rejects.toThrow(/comment rights can let guests approve/);
    await expect(
      createReviewLink(pool, s.owner.id, { draftId: s.draftId, rights: "edit" }),
    ).rejects.toMatchObject({ code: "invalid" });
    const stranger = await makeUser(pool);
    await expect(
      createReviewLink(pool, stranger.id, { draftId: s.draftId, rights: "view" }),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("a guest approves only through a link that grants it, only the versions it opens", async () => {
    const s = await setup();
    const approver = await createReviewLink(pool, s.owner.id, {
      draftId: s.draftId,
      rights: "comment",
      canApprove: true,
    });
    const commenter = await createReviewLink(pool, s.owner.id, {
      draftId: s.draftId,
      rights: "comment",
    });
    const a = (await openReviewLink(pool, approver.token, { name: "Client Carla" })).guest;
    const c = (await openReviewLink(pool, commenter.token, { name: "Client Cody" })).guest;
    await expect(setStatusAsGuest(pool, c, s.draftId, "approved")).rejects.toMatchObject({
      code: "forbidden",
    });
    const other = await setup();
    await expect(setStatusAsGuest(pool, a, other.draftId, "approved")).rejects.toMatchObject({
      code: "not_found",
    });
    await setStatusAsGuest(pool, a, s.draftId, "approved");
    const { stack } = await getStackForMember(pool, s.owner.id, s.draftId);
    expect(stack.versions[0]).toMatchObject({
      status: "approved",
      statusBy: { id: null, name: "Client Carla", guest: true },
    });
    await revokeReviewLink(pool, s.owner.id, approver.link.id);
    await expect(setStatusAsGuest(pool, a, s.draftId, "changes_requested")).rejects.toMatchObject({
      code: "not_found",
    });
  });
});
