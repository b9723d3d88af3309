import { describe, expect, it } from "vitest";
import { checkInstructions, forbiddenTopics } from "./instructions.ts";
import { allowedSettings, type CastFacts, effectiveSetting, mayCast } from "./rules.ts";

const base: CastFacts = {
  casterId: "caster",
  casterIsMinor: false,
  ownerId: "owner",
  ownerIsMinor: false,
  cameoName: "mia",
  cameoStatus: "ready",
  whoMayCast: "everyone",
  grant: null,
  mutual: false,
  blocked: false,
};
const code = (f: Partial<CastFacts>) => {
  const v = mayCast({ ...base, ...f });
  return v.ok ? "ok" : v.code;
};

describe("mayCast: who may cast a cameo", () => {
  it("the owner may always cast their own ready cameo, whatever the setting", () => {
    expect(code({ casterId: "owner", whoMayCast: "only_me" })).toBe("ok");
    expect(code({ casterId: "owner", whoMayCast: "only_me", cameoStatus: "processing" })).toBe(
      "cameo_not_ready",
    );
  });

  it("only me refuses everyone else", () => {
    expect(code({ whoMayCast: "only_me", mutual: true, grant: "approved" })).toBe(
      "cameo_only_owner",
    );
  });

  it("people I approve: approved passes; none, pending and declined are refused with their own reason", () => {
    expect(code({ whoMayCast: "approved", grant: "approved" })).toBe("ok");
    expect(code({ whoMayCast: "approved" })).toBe("cameo_needs_approval");
    expect(code({ whoMayCast: "approved", grant: "pending" })).toBe("cameo_pending");
    expect(code({ whoMayCast: "approved", grant: "declined" })).toBe("cameo_declined");
    expect(code({ whoMayCast: "approved", mutual: true })).toBe("cameo_needs_approval");
  });

  it("mutuals needs a follow both ways", () => {
    expect(code({ whoMayCast: "mutuals", mutual: true })).toBe("ok");
    expect(code({ whoMayCast: "mutuals" })).toBe("cameo_needs_mutual");
  });

  it("a revocation blocks the person under every setting, even everyone", () => {
    for (const s of ["approved", "mutuals", "everyone"] as const)
      expect(code({ whoMayCast: s, grant: "revoked", mutual: true })).toBe("cameo_revoked");
  });

  it("a block either way refuses, and a cameo that is not ready cannot be cast", () => {
    expect(code({ blocked: true })).toBe("cameo_blocked");
    for (const s of ["processing", "refused", "failed"] as const)
      expect(code({ cameoStatus: s })).toBe("cameo_not_ready");
  });

  it("a minor's cameo is never open to everyone: 'everyone' counts as mutuals and cannot be chosen", () => {
    expect(effectiveSetting("everyone", true)).toBe("mutuals");
    expect(effectiveSetting("everyone", false)).toBe("everyone");
    expect(allowedSettings(true)).not.toContain("everyone");
    expect(allowedSettings(false)).toContain("everyone");
    expect(code({ ownerIsMinor: true, casterIsMinor: true })).toBe("cameo_needs_mutual");
    expect(code({ ownerIsMinor: true, casterIsMinor: true, mutual: true })).toBe("ok");
  });

  it("an adult casts a minor only as a mutual, even when approved", () => {
    expect(code({ ownerIsMinor: true, whoMayCast: "approved", grant: "approved" })).toBe(
      "cameo_minor_needs_mutual",
    );
    expect(
      code({ ownerIsMinor: true, whoMayCast: "approved", grant: "approved", mutual: true }),
    ).toBe("ok");
    expect(code({ ownerIsMinor: true, whoMayCast: "mutuals" })).toBe("cameo_minor_needs_mutual");
  });

  it("every refusal names the cameo in a sentence", () => {
    const v = mayCast({ ...base, whoMayCast: "only_me" });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reason).toContain("@mia");
  });
});

describe("checkInstructions: the owner's instructions read against a prompt", () => {
  it("finds the forbidding clauses and their topics", () => {
    expect(forbiddenTopics("No political content. Be kind!")).toEqual([
      { clause: "No political content", topics: ["political"] },
    ]);
  });

  it("refuses a prompt on a forbidden topic, by the topic's family", () => {
    const v = checkInstructions(
      "mia",
      "no political content",
      "@mia gives a speech at an election rally",
    );
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.matched).toBe("election");
      expect(v.reason).toContain('"no political content"');
    }
    expect(checkInstructions("mia", "don't show me drinking", "mia orders a beer").ok).toBe(false);
    expect(checkInstructions("mia", "never any horror", "zombies chase mia").ok).toBe(false);
  });

  it("passes a prompt that keeps to the instructions, and empty instructions pass everything", () => {
    expect(
      checkInstructions("mia", "no political content", "@mia as a barista pours latte art").ok,
    ).toBe(true);
    expect(checkInstructions("mia", "", "anything at all").ok).toBe(true);
    expect(checkInstructions("mia", "Please keep me smiling", "mia frowns").ok).toBe(true);
  });

  it("a topic without a family matches its own stem", () => {
    expect(checkInstructions("rex", "no skateboards", "rex rides a skateboard").ok).toBe(false);
  });
});
