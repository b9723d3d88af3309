import type { Shot } from "@reelhouse/shared/collab/schema";
import { BACKEND_CATALOG } from "@reelhouse/shared/generation/capabilities";
import { sequenceInputSchema } from "@reelhouse/shared/generation/jobs";
import { generationRequestSchema, SEED_MAX } from "@reelhouse/shared/generation/request";
import { describe, expect, it } from "vitest";
import {
  chosenBackend,
  pressSeed,
  sequenceShots,
  sequenceTransition,
  shotFields,
  storyboardRefusal,
} from "./requests";

const shot = (id: string, fields: Partial<Shot> = {}): Shot => ({
  id,
  order: "a0",
  prompt: `Shot ${id}`,
  durationSeconds: 4,
  camera: "",
  transition: "cut",
  notes: "",
  latestRenderId: null,
  ...fields,
});
const settings = {
  size: "1280x720",
  durationSeconds: 10,
  seed: 42,
  seedLocked: true,
  backend: "previz",
};

describe("storyboard → generation requests", () => {
  it("every storyboard transition maps to one the stitcher knows", () => {
    expect(sequenceTransition("cut")).toEqual({ kind: "cut", durationSeconds: 0 });
    expect(sequenceTransition("match-cut")).toEqual({ kind: "cut", durationSeconds: 0 });
    expect(sequenceTransition("fade")).toEqual({ kind: "fade", durationSeconds: 0.5 });
    expect(sequenceTransition("dissolve")).toEqual({ kind: "dissolve", durationSeconds: 0.5 });
    expect(sequenceTransition("wipe")).toEqual({ kind: "wipeleft", durationSeconds: 0.5 });
  });

  it("a storyboard becomes a sequence the workflow's own schema accepts, in order, first shot uncut", () => {
    const shots = sequenceShots(
      [
        shot("s1", { transition: "fade", camera: "slow dolly in" }),
        shot("s2", { transition: "wipe", durationSeconds: 6 }),
      ],
      settings,
    );
    expect(shots[0]!.transition).toEqual({ kind: "cut", durationSeconds: 0 });
    expect(shots[0]!.request.prompt).toEqual({
      text: "Shot s1",
      sections: { camera: "slow dolly in" },
    });
    expect(shots[1]!.transition.kind).toBe("wipeleft");
    const parsed = sequenceInputSchema.parse({
      workflowId: "seq:x",
      projectId: "00000000-0000-4000-8000-000000000000",
      userId: "00000000-0000-4000-8000-000000000001",
      backend: "previz",
      shots,
    });
    expect(parsed.shots.map((s) => [s.shotId, s.request.size, s.request.seed])).toEqual([
      ["s1", "1280x720", 42],
      ["s2", "1280x720", 42],
    ]);
    expect(parsed.shots[1]!.request.durationSeconds).toBe(6);
  });

  it("a shot's Generate fields carry its shot id, prompt, camera and the panel's settings", () => {
    expect(shotFields(shot("s9", { camera: "orbit" }), settings, "req-123456")).toEqual({
      intent: "generate",
      requestId: "req-123456",
      shotId: "s9",
      prompt: "Shot s9",
      camera: "orbit",
      durationSeconds: "4",
      size: "1280x720",
      seed: "42",
      backend: "previz",
    });
  });
});

describe("request ids", () => {
  it("are fresh per press and match the server's request id format, with or without randomUUID", async () => {
    const { newRequestId } = await import("./useGeneration");
    const { requestIdSchema } = await import("@reelhouse/shared/generation/jobs");
    const a = newRequestId();
    const b = newRequestId();
    expect(a).not.toBe(b);
    expect(requestIdSchema.parse(a)).toBe(a);
    const saved = crypto.randomUUID;
    try {
      // An insecure context (plain http on a LAN address) has no randomUUID.
      Object.defineProperty(crypto, "randomUUID", { value: undefined, configurable: true });
      const c = newRequestId();
      expect(c).toMatch(/^[0-9a-f]{32}$/);
      expect(requestIdSchema.parse(c)).toBe(c);
    } finally {
      Object.defineProperty(crypto, "randomUUID", { value: saved, configurable: true });
    }
  });
});

describe("sequence progress", () => {
  it("moves with its shots while they render, then follows the sequence's own stages", async () => {
    const { sequenceView } = await import("./JobProgress");
    const seq = {
      kind: "sequence" as const,
      workflowId: "seq:p:r",
      stage: "safety",
      progress: 3,
      shotCount: 2,
    };
    const child = (progress: number, status: "running" | "succeeded" = "running") => ({
      parentWorkflowId: "seq:p:r",
      progress,
      status,
    });
    expect(sequenceView(seq, [])).toEqual(seq);
    // Shot 1 half done, shot 2 not started: a quarter of 5–80.
    expect(sequenceView(seq, [child(50)])).toEqual({ stage: "rendering", progress: 24 });
    expect(sequenceView(seq, [child(100, "succeeded"), child(0)])).toEqual({
      stage: "rendering",
      progress: 43,
    });
    const stitching = { ...seq, stage: "stitching", progress: 80 };
    expect(sequenceView(stitching, [child(100, "succeeded"), child(100, "succeeded")])).toEqual(
      stitching,
    );
    const clip = { ...seq, kind: "clip" as const };
    expect(sequenceView(clip, [child(50)])).toEqual(clip);
  });
});

describe("the seed of a press of Generate", () => {
  const prompt = { text: "a horse galloping across a field" };
  const request = (seed: number) => generationRequestSchema.parse({ prompt, seed });

  it("without a lock, two presses render with two different seeds, each a valid request seed", () => {
    const unlocked = { seed: 0, seedLocked: false };
    const seeds = Array.from({ length: 20 }, () => pressSeed(unlocked));
    expect(new Set(seeds).size).toBe(20);
    for (const s of seeds) {
      expect(Number.isInteger(s)).toBe(true);
      expect(s).toBeGreaterThanOrEqual(1);
      expect(s).toBeLessThanOrEqual(SEED_MAX);
      expect(request(s).seed).toBe(s);
    }
  });

  it("with the lock, every press renders with the locked seed", () => {
    const locked = { seed: 1234, seedLocked: true };
    expect([pressSeed(locked), pressSeed(locked), pressSeed(locked)]).toEqual([1234, 1234, 1234]);
    expect(shotFields(shot("s1"), { ...settings, seed: pressSeed(locked) }, "r1").seed).toBe(
      "1234",
    );
  });

  it("a locked seed that is not a whole number is not sent: a new one is picked instead", () => {
    expect(pressSeed({ seed: Number.NaN, seedLocked: true }, () => 77)).toBe(77);
  });

  it("the request schema still refuses seeds outside 0..2^31-1", () => {
    expect(() => request(-1)).toThrow();
    expect(() => request(SEED_MAX + 1)).toThrow();
    expect(() => request(1.5)).toThrow();
  });
});

describe("storyboardRefusal: the storyboard offers only what the chosen backend makes", () => {
  const backends = BACKEND_CATALOG.filter((b) => ["previz", "veo", "comfyui"].includes(b.name));
  const veo = chosenBackend(backends, "veo");

  it("a shot length the backend does not make names the shot, in the server's words", () => {
    expect(
      storyboardRefusal(veo, [{ durationSeconds: 4 }, { durationSeconds: 7 }], "1280x720"),
    ).toEqual({
      shot: 1,
      message: "Google Veo (Gemini API) makes clips of 4, 6, 8 s, not 7 s.",
    });
    expect(
      storyboardRefusal(veo, [{ durationSeconds: 4 }, { durationSeconds: 8 }], "1280x720"),
    ).toBeUndefined();
  });

  it("a size it does not make is about the whole storyboard (no shot)", () => {
    expect(storyboardRefusal(veo, [{ durationSeconds: 4 }], "1024x1792")).toEqual({
      shot: null,
      message: "Google Veo (Gemini API) cannot make 1024x1792: choose 1280x720 or 720x1280.",
    });
  });

  it("previz takes any whole 4-20 s; an unknown backend name falls back to the first offered", () => {
    const previz = chosenBackend(backends, "previz");
    expect(storyboardRefusal(previz, [{ durationSeconds: 7 }], "1024x1792")).toBeUndefined();
    expect(chosenBackend(backends, "gone")?.name).toBe("previz");
    expect(storyboardRefusal(undefined, [{ durationSeconds: 7 }], "1x1")).toBeUndefined();
  });
});
