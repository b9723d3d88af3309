import type { LivenessPlan, LivenessPrompt } from "@reelhouse/shared/cameos/liveness";

/**
 * What the recorder shows at each moment of a take (pure, unit-tested): a person's take is a
 * centred baseline then the signed prompts in their order; a pet's or object's take has none.
 */

export const PET_SECONDS = { min: 3, max: 10, default: 5 } as const;
/** A person's take ends this long after the last prompt. */
export const TAIL_S = 0.5;

export function promptText(p: Pick<LivenessPrompt, "kind" | "digits">): string {
  switch (p.kind) {
    case "left":
      return "Turn your head to your left";
    case "right":
      return "Turn your head to your right";
    case "up":
      return "Look up";
    case "digits":
      return `Read aloud: ${(p.digits ?? "").split("").join(" ")}`;
  }
}

export function takeSeconds(plan: LivenessPlan | null, petSeconds: number = PET_SECONDS.default) {
  if (!plan) return Math.min(PET_SECONDS.max, Math.max(PET_SECONDS.min, petSeconds));
  const end = Math.max(plan.baselineEndS, ...plan.prompts.map((p) => p.endS));
  return end + TAIL_S;
}

/** The instruction at `t` seconds into the take, and which prompt (index) it is, if any. */
export function cueAt(
  plan: LivenessPlan | null,
  t: number,
): { text: string; index: number | null } {
  if (!plan) return { text: "Keep it in the frame", index: null };
  if (t < plan.baselineEndS) return { text: "Look straight at the camera", index: null };
  const i = plan.prompts.findIndex((p) => t >= p.startS && t < p.endS);
  if (i >= 0) return { text: promptText(plan.prompts[i]!), index: i };
  return { text: "Look straight at the camera", index: null };
}

/** "Good light" from the mean luma (0..255) of the face area. */
export function lightHint(luma: number): { ok: boolean; text: string } {
  if (luma < 60) return { ok: false, text: "Too dark: face a window or a lamp" };
  if (luma > 210) return { ok: false, text: "Too bright: step out of direct light" };
  return { ok: true, text: "Good light" };
}

/** The first container MediaRecorder supports, WebM first (Chromium, Firefox), then MP4 (Safari). */
export const MIME_CANDIDATES = [
  "video/webm;codecs=vp9,opus",
  "video/webm;codecs=vp8,opus",
  "video/webm",
  "video/mp4",
] as const;

export function pickMime(isSupported: (t: string) => boolean): string | null {
  return MIME_CANDIDATES.find((t) => isSupported(t)) ?? null;
}
