/**
 * The edit decision list (EDL): what an edit IS, independent of any render. Every time is an
 * integer frame number at the edit's frame rate, so a cut is exact and two people editing the same
 * timeline never disagree over rounding. The source drafts are only referenced (never changed): a
 * render compiles this list into ffmpeg arguments (./compile.ts) and writes a new draft.
 *
 * Frame axes, in the order the compiler applies them:
 * 1. source frames: a clip's `inFrame`/`outFrame` (out is exclusive) in its draft's own frames;
 * 2. sequence frames: the clips laid end to end, minus every transition's overlap — speed
 *    keyframes are placed on this axis;
 * 3. output frames: after speed — the loop's `startFrame`/`endFrame` are on this axis.
 */
import { z } from "zod";

export const SPEED_MIN = 0.25;
export const SPEED_MAX = 4;
/** Longest edit output, in frames at 60 fps (10 minutes). */
export const MAX_EDIT_FRAMES = 36_000;
export const MAX_CLIPS = 50;
export const MAX_SPEED_KEYS = 64;

const frame = z.number().int().min(0).max(MAX_EDIT_FRAMES);

export const transitionKinds = [
  "cut",
  "crossfade",
  "dipblack",
  "wipeleft",
  "wiperight",
  "wipeup",
  "wipedown",
] as const;
export type TransitionKind = (typeof transitionKinds)[number];

export const editClipSchema = z
  .object({
    /** Stable id within the edit (a split makes two ids), so co-editors address the same clip. */
    id: z.string().min(1).max(64),
    draftId: z.string().uuid(),
    inFrame: frame,
    /** Exclusive: the clip plays source frames inFrame … outFrame − 1. */
    outFrame: frame,
    /** How this clip enters from the previous one (ignored on the first clip). */
    transition: z
      .object({
        kind: z.enum(transitionKinds),
        frames: z.number().int().min(0).max(120),
      })
      .default({ kind: "cut", frames: 0 }),
  })
  .refine((c) => c.outFrame > c.inFrame, {
    message: "a clip's out frame must come after its in frame",
    path: ["outFrame"],
  });
export type EditClip = z.infer<typeof editClipSchema>;

export const easings = ["linear", "ease", "hold"] as const;
export type Easing = (typeof easings)[number];

export const speedKeySchema = z.object({
  /** Sequence frame (axis 2) where the speed is exactly `speed`. */
  frame,
  speed: z.number().min(SPEED_MIN).max(SPEED_MAX),
  /** How the speed travels from this key to the next: straight, eased in and out, or held. */
  ease: z.enum(easings).default("ease"),
});
export type SpeedKey = z.infer<typeof speedKeySchema>;

export const loopSchema = z
  .object({
    enabled: z.boolean(),
    /** Output frames (axis 3): the loop plays startFrame … endFrame − 1, then starts again. */
    startFrame: frame,
    endFrame: frame,
    /** The seam is closed by crossfading this many frames of the end into the start. */
    crossfadeFrames: z.number().int().min(0).max(60).default(8),
  })
  .refine((l) => l.endFrame - l.startFrame >= 2 * l.crossfadeFrames + 2, {
    message: "a loop must be longer than twice its crossfade",
    path: ["endFrame"],
  });
export type LoopSettings = z.infer<typeof loopSchema>;

export const stabilizeSchema = z.object({
  /** 0 = off, 1 = the strongest smoothing. */
  strength: z.number().min(0).max(1),
  /** What fills the border the correction uncovers: black, or zoom in until none is left. */
  crop: z.enum(["black", "zoom"]).default("zoom"),
  /** Extra zoom in percent on top of the automatic one (0–20). */
  zoomPercent: z.number().min(0).max(20).default(0),
});
export type StabilizeSettings = z.infer<typeof stabilizeSchema>;

/** The animatic's styles (workers/src/previz) plus film looks. */
export const gradePresets = [
  "none",
  "cinematic",
  "documentary",
  "anime",
  "noir",
  "neon",
  "pastel",
  "vintage",
  "watercolor",
  "kodachrome",
  "bleach-bypass",
  "teal-orange",
  "cross-process",
] as const;
export type GradePreset = (typeof gradePresets)[number];

export const curvePresets = [
  "none",
  "lighter",
  "darker",
  "increase_contrast",
  "decrease_contrast",
  "strong_contrast",
  "linear_contrast",
  "medium_contrast",
  "negative",
  "vintage",
  "cross_process",
] as const;

export const gradeSchema = z.object({
  /** Stops: −2 … +2 (each stop doubles or halves the light). */
  exposure: z.number().min(-2).max(2).default(0),
  contrast: z.number().min(0.5).max(2).default(1),
  saturation: z.number().min(0).max(2).default(1),
  /** −1 cool (blue) … +1 warm (amber). */
  temperature: z.number().min(-1).max(1).default(0),
  /** −1 green … +1 magenta. */
  tint: z.number().min(-1).max(1).default(0),
  /** One of ffmpeg's `curves` presets. */
  curves: z.enum(curvePresets).default("none"),
  preset: z.enum(gradePresets).default("none"),
  /** A validated `.cube` upload (./lut.ts), stored as media; null = none. */
  lutMediaId: z.string().uuid().nullable().default(null),
  /** How much of the LUT to apply, 0 … 1. */
  lutMix: z.number().min(0).max(1).default(1),
});
export type Grade = z.infer<typeof gradeSchema>;

export const editSchema = z
  .object({
    version: z.literal(1),
    fps: z.number().int().min(1).max(60),
    width: z
      .number()
      .int()
      .min(16)
      .max(3840)
      .refine((n) => n % 2 === 0, "width must be even"),
    height: z
      .number()
      .int()
      .min(16)
      .max(3840)
      .refine((n) => n % 2 === 0, "height must be even"),
    clips: z.array(editClipSchema).min(1).max(MAX_CLIPS),
    speed: z.array(speedKeySchema).max(MAX_SPEED_KEYS).default([]),
    loop: loopSchema.nullable().default(null),
    stabilize: stabilizeSchema.default({ strength: 0, crop: "zoom", zoomPercent: 0 }),
    grade: gradeSchema.default(gradeSchema.parse({})),
    audio: z.object({ mode: z.enum(["pitch", "mute"]) }).default({ mode: "pitch" }),
  })
  .superRefine((e, ctx) => {
    const ids = new Set<string>();
    e.clips.forEach((c, i) => {
      if (ids.has(c.id))
        ctx.addIssue({ code: "custom", message: "duplicate clip id", path: ["clips", i, "id"] });
      ids.add(c.id);
    });
    const keys = e.speed.map((k) => k.frame);
    if (keys.some((f, i) => i > 0 && f <= keys[i - 1]!)) {
      ctx.addIssue({
        code: "custom",
        message: "speed keys must be in increasing frame order",
        path: ["speed"],
      });
    }
  });
export type Edit = z.infer<typeof editSchema>;
export type EditInput = z.input<typeof editSchema>;

/** The default grade (all neutral). */
export const neutralGrade: Grade = gradeSchema.parse({});

/** True when the grade changes nothing. */
export function isNeutralGrade(g: Grade): boolean {
  return (
    g.exposure === 0 &&
    g.contrast === 1 &&
    g.saturation === 1 &&
    g.temperature === 0 &&
    g.tint === 0 &&
    g.curves === "none" &&
    g.preset === "none" &&
    (g.lutMediaId === null || g.lutMix === 0)
  );
}
