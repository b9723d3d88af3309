import { describe, expect, it } from "vitest";
import { BACKEND_CATALOG, capabilityRefusal, catalogEntry, listSeconds } from "./capabilities.ts";
import { MAX_CLIP_SECONDS, MIN_CLIP_SECONDS, videoSizes } from "./request.ts";

describe("backend capabilities", () => {
  it("keep every backend inside what a request can say", () => {
    for (const b of BACKEND_CATALOG) {
      expect(b.capabilities.sizes.every((s) => videoSizes.includes(s))).toBe(true);
      expect(b.capabilities.durations.length).toBeGreaterThan(0);
      for (const d of b.capabilities.durations) {
        expect(d).toBeGreaterThanOrEqual(MIN_CLIP_SECONDS);
        expect(d).toBeLessThanOrEqual(MAX_CLIP_SECONDS);
      }
    }
  });

  it("refuse what the backend cannot make, naming what it can", () => {
    const veo = catalogEntry("veo")!;
    const ok = { size: "1280x720", durationSeconds: 8, hasImage: true };
    expect(capabilityRefusal(veo.label, veo.capabilities, ok)).toBeUndefined();
    expect(capabilityRefusal(veo.label, veo.capabilities, { ...ok, size: "1024x1792" })).toEqual({
      field: "size",
      message: "Google Veo (Gemini API) cannot make 1024x1792: choose 1280x720 or 720x1280.",
    });
    expect(capabilityRefusal(veo.label, veo.capabilities, { ...ok, durationSeconds: 10 })).toEqual({
      field: "durationSeconds",
      message: "Google Veo (Gemini API) makes clips of 4, 6, 8 s, not 10 s.",
    });
    const comfy = catalogEntry("comfyui")!;
    expect(
      capabilityRefusal(comfy.label, comfy.capabilities, {
        size: "1280x720",
        durationSeconds: 4,
        hasImage: true,
      })?.field,
    ).toBe("image");
    expect(capabilityRefusal(veo.label, veo.capabilities, { ...ok, extend: true })?.field).toBe(
      "extend",
    );
    const previz = catalogEntry("previz")!;
    expect(
      capabilityRefusal(previz.label, previz.capabilities, {
        ...ok,
        size: "1024x1792",
        durationSeconds: 17,
        extend: true,
      }),
    ).toBeUndefined();
  });

  it("describe durations as a range when they are one", () => {
    expect(listSeconds([4, 5, 6, 7])).toBe("4–7 s");
    expect(listSeconds([8, 4, 6])).toBe("4, 6, 8 s");
  });
});
