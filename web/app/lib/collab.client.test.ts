import { describe, expect, it } from "vitest";
import { colorFor, deniedMessage, initialsOf } from "./collab.client";

describe("collab session helpers", () => {
  it("turns the server's refusals into messages, from a close code or a coded reason", () => {
    expect(deniedMessage(1000, "4410 share link revoked or expired")).toMatch(
      /share link was revoked/,
    );
    expect(deniedMessage(4403, "")).toMatch(/no longer have access/);
    expect(deniedMessage(4401, undefined)).toMatch(/session expired/);
    expect(deniedMessage(0, "4429 too many connections")).toMatch(/Too many connections/);
    expect(deniedMessage(0, "bad token")).toMatch(/refused this session \(bad token\)/);
  });

  it("keeps reconnecting after ordinary network closes", () => {
    expect(deniedMessage(1006, "")).toBeNull();
    expect(deniedMessage(1000, "provider destroyed")).toBeNull();
  });

  it("gives each person a stable color and two-letter initials", () => {
    expect(colorFor("user-a")).toBe(colorFor("user-a"));
    expect(colorFor("user-a")).toMatch(/^#[0-9a-f]{6}$/);
    expect(initialsOf("Maya Chen")).toBe("MC");
    expect(initialsOf("theo")).toBe("TH");
    expect(initialsOf("  ")).toBe("?");
  });
});
