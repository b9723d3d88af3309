/**
 * Liveness of a cameo recording, decided from what the face model saw (head pose per sampled
 * frame, anti-spoof and liveness scores) and the sound's loudness. Pure and unit-tested; the worker
 * measures, this judges.
 *
 * A recording is about 5 s: the first second the face is centred (the baseline pose), then four
 * prompts of one second each in a random order the server chose: turn left, turn right, look up,
 * read four digits aloud. "Left" is the left of the picture as the camera records it (the page
 * shows a mirrored preview and says "turn towards the arrow").
 */

export type PromptKind = "left" | "right" | "up" | "digits";
export interface LivenessPrompt {
  kind: PromptKind;
  startS: number;
  endS: number;
  /** For "digits": the four digits to read. */
  digits?: string;
}
export interface LivenessPlan {
  baselineEndS: number;
  prompts: LivenessPrompt[];
}

export interface FaceSample {
  t: number;
  found: boolean;
  yaw: number;
  pitch: number;
  /** Anti-spoof score (1 = a real face, not a print or a screen). */
  real: number;
  /** A screen's pixel pattern over the face (workers/src/cameo/moire.ts); absent = not measured. */
  moire?: number;
  /** Liveness score of the face model. */
  live: number;
}
export interface EnergySample {
  t: number;
  /** RMS loudness, 0..1 of full scale. */
  rms: number;
}

export const LIVENESS = {
  baselineS: 1,
  promptS: 1,
  /** Head turn away from the baseline pose, in radians of the model's estimate. */
  turnYaw: 0.08,
  turnPitch: 0.03,
  /** Speech loudness while the digits were asked, as a multiple of the quietest window. */
  speechRms: 0.02,
  speechOverQuiet: 2,
  minReal: 0.5,
  minLive: 0.5,
  /**
   * The screen-pattern score (median over the frames) above which the take is a replay filmed off
   * a screen. Measured: the face model's sample portrait filmed straight scores 12-16 a frame; the
   * same take re-filmed off a screen (footage.server.ts replayFilter) 30-61.
   */
  maxMoire: 24,
  /** Share of sampled frames with a face. */
  minFaceShare: 0.8,
} as const;

/** Four prompts in a random order and four random digits, from a random source in [0, 1). */
export function planLiveness(random: () => number = Math.random): LivenessPlan {
  const kinds: PromptKind[] = ["left", "right", "up", "digits"];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  const digits = Array.from({ length: 4 }, () => Math.floor(random() * 10)).join("");
  return {
    baselineEndS: LIVENESS.baselineS,
    prompts: kinds.map((kind, i) => ({
      kind,
      startS: LIVENESS.baselineS + i * LIVENESS.promptS,
      endS: LIVENESS.baselineS + (i + 1) * LIVENESS.promptS,
      ...(kind === "digits" ? { digits } : {}),
    })),
  };
}

export type LivenessVerdict =
  | { ok: true; checks: string[] }
  | { ok: false; code: string; reason: string; checks: string[] };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
const within = <T extends { t: number }>(xs: T[], a: number, b: number) =>
  xs.filter((x) => x.t >= a && x.t < b);

/** How far the head turned in a window, relative to the baseline: the most extreme sample. */
function turn(samples: FaceSample[], base: { yaw: number; pitch: number }, kind: PromptKind) {
  // Looking up counts only with the head not turned sideways (a side turn also tilts the estimate).
  const d = samples.map((s) =>
    kind === "left"
      ? base.yaw - s.yaw
      : kind === "right"
        ? s.yaw - base.yaw
        : Math.abs(s.yaw - base.yaw) >= LIVENESS.turnYaw * 0.75
          ? 0
          : base.pitch - s.pitch,
  );
  return d.length ? Math.max(...d) : Number.NaN;
}

export function judgeLiveness(
  plan: LivenessPlan,
  faces: FaceSample[],
  energy: EnergySample[],
): LivenessVerdict {
  const checks: string[] = [];
  const no = (code: string, reason: string): LivenessVerdict => ({
    ok: false,
    code,
    reason,
    checks,
  });
  const seen = faces.filter((f) => f.found);
  if (faces.length === 0 || seen.length / faces.length < LIVENESS.minFaceShare)
    return no(
      "liveness_no_face",
      "We could not see your face through the recording. Face the camera in good light.",
    );
  checks.push(`face in ${seen.length}/${faces.length} frames`);
  const real = mean(seen.map((f) => f.real));
  const live = mean(seen.map((f) => f.live));
  if (real < LIVENESS.minReal || live < LIVENESS.minLive)
    return no(
      "liveness_spoof",
      "This looks like a photo or a screen held to the camera, not a person. Record yourself.",
    );
  checks.push(`real ${real.toFixed(2)}, live ${live.toFixed(2)}`);
  const moire = seen.map((f) => f.moire).filter((m): m is number => m !== undefined);
  if (moire.length > 0) {
    const m = median(moire);
    if (m > LIVENESS.maxMoire)
      return no(
        "liveness_replay",
        "This looks like a video played on a screen held to the camera (a screen's pixel pattern shows over the face). Record yourself, not a screen.",
      );
    checks.push(`screen pattern ${m.toFixed(1)}`);
  }
  const baseline = within(seen, 0, plan.baselineEndS);
  if (baseline.length === 0)
    return no("liveness_no_face", "Start with your face centred for the first second.");
  const base = { yaw: mean(baseline.map((f) => f.yaw)), pitch: mean(baseline.map((f) => f.pitch)) };
  const turns = plan.prompts.filter((p) => p.kind !== "digits");
  const need = (k: PromptKind) => (k === "up" ? LIVENESS.turnPitch : LIVENESS.turnYaw);
  const after = seen.filter((f) => f.t >= plan.baselineEndS);
  const moved = (["left", "right", "up"] as const).some((k) => turn(after, base, k) >= need(k));
  if (!moved)
    return no(
      "liveness_still",
      "Your head did not move. A still photo cannot make a cameo; follow the prompts and turn your head.",
    );
  // Each turn must happen in its own window; a window showing another turn is the wrong order.
  for (const p of turns) {
    const w = within(seen, p.startS, p.endS);
    const amount = turn(w, base, p.kind);
    if (amount >= need(p.kind)) {
      checks.push(`${p.kind} ${amount.toFixed(2)}`);
      continue;
    }
    const other = turns.find((q) => q !== p && turn(w, base, q.kind) >= need(q.kind));
    return other
      ? no(
          "liveness_order",
          `The head turns did not follow the prompts: when asked to ${label(p.kind)} you seemed to ${label(other.kind)}. Try again, following the prompts in the order shown.`,
        )
      : no(
          "liveness_turn",
          `We did not see you ${label(p.kind)} when asked. Try again and turn a little further.`,
        );
  }
  const ask = plan.prompts.find((p) => p.kind === "digits");
  if (ask) {
    const during = within(energy, ask.startS, ask.endS).map((e) => e.rms);
    const quiet = Math.min(...energy.map((e) => e.rms), Number.POSITIVE_INFINITY);
    const loud = during.length ? Math.max(...during) : 0;
    if (!(loud >= LIVENESS.speechRms && loud >= quiet * LIVENESS.speechOverQuiet))
      return no(
        "liveness_silent",
        `We did not hear you read the digits ${ask.digits ?? ""} aloud. Check your microphone and speak up.`,
      );
    checks.push(`speech ${loud.toFixed(3)} over quiet ${quiet.toFixed(3)}`);
  }
  return { ok: true, checks };
}

function label(k: PromptKind): string {
  return k === "left"
    ? "turn left"
    : k === "right"
      ? "turn right"
      : k === "up"
        ? "look up"
        : "read the digits";
}
