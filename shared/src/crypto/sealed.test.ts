import { describe, expect, it } from "vitest";
import { isSealed, open, SealedError, seal } from "./sealed.server.ts";

const SECRET = "a-test-auth-secret-that-is-long-enough-000";

describe("sealed secrets (HKDF-SHA256 → AES-256-GCM)", () => {
  it("opens what it sealed, with a fresh IV each time", () => {
    const a = seal(SECRET, "model-backend-secret", "sk-live-1234", "ws1/veo");
    const b = seal(SECRET, "model-backend-secret", "sk-live-1234", "ws1/veo");
    expect(a).not.toBe(b);
    expect(a).not.toContain("sk-live");
    expect(isSealed(a)).toBe(true);
    expect(open(SECRET, "model-backend-secret", a, "ws1/veo")).toBe("sk-live-1234");
  });

  it("refuses another AUTH_SECRET, another purpose, another context, or an altered value", () => {
    const s = seal(SECRET, "model-backend-secret", "sk-live-1234", "ws1/veo");
    expect(() => open(`${SECRET}x`, "model-backend-secret", s, "ws1/veo")).toThrow(SealedError);
    expect(() => open(SECRET, "webhook-secret", s, "ws1/veo")).toThrow(/cannot be decrypted/);
    expect(() => open(SECRET, "model-backend-secret", s, "ws2/veo")).toThrow(SealedError);
    const parts = s.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString("base64url");
    expect(() => open(SECRET, "model-backend-secret", parts.join("."), "ws1/veo")).toThrow(
      SealedError,
    );
    expect(() => open(SECRET, "model-backend-secret", "whsec_plain", "ws1/veo")).toThrow(
      /not in the sealed format/,
    );
  });
});
