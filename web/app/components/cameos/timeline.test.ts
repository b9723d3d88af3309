import { planLiveness } from "@reelhouse/shared/cameos/liveness";
import { describe, expect, it } from "vitest";
import { cueAt, lightHint, pickMime, promptText, takeSeconds } from "./timeline.ts";

describe("recorder timeline", () => {
  const plan = planLiveness(() => 0.3);

  it("shows the baseline, then each prompt in the plan's own order", () => {
    expect(cueAt(plan, 0.2).text).toBe("Look straight at the camera");
    plan.prompts.forEach((p, i) => {
      const mid = (p.startS + p.endS) / 2;
      expect(cueAt(plan, mid)).toEqual({ text: promptText(p), index: i });
    });
    expect(cueAt(plan, takeSeconds(plan) - 0.1).index).toBeNull();
  });

  it("reads the digits out one by one", () => {
    const d = plan.prompts.find((p) => p.kind === "digits")!;
    expect(promptText(d)).toBe(`Read aloud: ${d.digits!.split("").join(" ")}`);
  });

  it("a person's take covers every prompt; a pet's is clamped to 3-10 s", () => {
    expect(takeSeconds(plan)).toBe(5.5);
    expect(takeSeconds(null, 1)).toBe(3);
    expect(takeSeconds(null, 30)).toBe(10);
    expect(takeSeconds(null, 7)).toBe(7);
    expect(cueAt(null, 2).index).toBeNull();
  });

  it("judges the light", () => {
    expect(lightHint(20).ok).toBe(false);
    expect(lightHint(240).ok).toBe(false);
    expect(lightHint(128)).toEqual({ ok: true, text: "Good light" });
  });

  it("prefers WebM and falls back to MP4 or nothing", () => {
    expect(pickMime(() => true)).toBe("video/webm;codecs=vp9,opus");
    expect(pickMime((t) => t === "video/mp4")).toBe("video/mp4");
    expect(pickMime(() => false)).toBeNull();
  });
});
