import { z } from "zod";
import type { TransitionKind } from "../media/ffmpeg-args.ts";
import { type GenerationRequest, generationRequestSchema } from "./request.ts";

/**
 * The contract between the web tier (which enqueues by workflow NAME through the DBOS client) and
 * the workers (which run the workflows): workflow ids, inputs, stages. No workflow code here.
 */

/** A client-made id for one press of Generate; a double click sends the same one. */
export const requestIdSchema = z
  .string({ message: "A request id is required." })
  .regex(/^[A-Za-z0-9_-]{8,64}$/, "A request id is 8-64 letters, digits, '-' or '_'.");

/** The workflow id is the idempotency key: same project + same request id → the same job. */
export function generateWorkflowId(projectId: string, requestId: string): string {
  return `gen:${projectId}:${requestId}`;
}
export function sequenceWorkflowId(projectId: string, requestId: string): string {
  return `seq:${projectId}:${requestId}`;
}
export function shotWorkflowId(sequenceWorkflowId: string, index: number): string {
  return `${sequenceWorkflowId}:shot:${index}`;
}

/** A file-system-safe key for a workflow id (used for its directory under DATA_DIR). */
export function workflowKey(workflowId: string): string {
  return workflowId.replace(/[^A-Za-z0-9_-]/g, "_");
}

export const generateInputSchema = z.object({
  workflowId: z.string().min(1),
  projectId: z.string().uuid(),
  userId: z.string().uuid(),
  backend: z.string().min(1),
  request: generationRequestSchema,
  /** Set for a shot of a storyboard sequence. */
  shotId: z.string().max(120).optional(),
  parentWorkflowId: z.string().optional(),
  /** Notify the requester when done (a sequence notifies once, not per shot). */
  notify: z.boolean().default(true),
});
export type GenerateInput = z.infer<typeof generateInputSchema>;

export const transitionKinds = [
  "cut",
  "fade",
  "dissolve",
  "wipeleft",
  "wiperight",
  "slideleft",
  "fadeblack",
] as const satisfies readonly TransitionKind[];

export const sequenceShotSchema = z.object({
  shotId: z.string().min(1).max(120),
  request: generationRequestSchema,
  /** How this shot enters from the previous one. */
  transition: z
    .object({
      kind: z.enum(transitionKinds, {
        message: `Transition must be one of ${transitionKinds.join(", ")}.`,
      }),
      durationSeconds: z.number().min(0).max(3).default(0.5),
    })
    .default({ kind: "cut", durationSeconds: 0 }),
});
export type SequenceShot = z.infer<typeof sequenceShotSchema>;

export const MAX_SEQUENCE_SHOTS = 40;

export const sequenceInputSchema = z.object({
  workflowId: z.string().min(1),
  projectId: z.string().uuid(),
  userId: z.string().uuid(),
  backend: z.string().min(1),
  shots: z
    .array(sequenceShotSchema)
    .min(1, "A sequence needs at least one shot.")
    .max(MAX_SEQUENCE_SHOTS, `A sequence can have at most ${MAX_SEQUENCE_SHOTS} shots.`),
});
export type SequenceInput = z.infer<typeof sequenceInputSchema>;

/**
 * Stages in order, each with the progress (0-100) at which it starts. Rendering reports 5-80; a
 * sequence's stitching 80-92; probing also makes the poster and spritesheet.
 */
export const STAGES = {
  queued: 0,
  validating: 1,
  safety: 3,
  rendering: 5,
  /** An uploaded version turned into the playback format (review uploads only). */
  transcoding: 5,
  stitching: 80,
  probing: 80,
  storing: 94,
  notifying: 98,
  done: 100,
} as const;
export type Stage = keyof typeof STAGES;

export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

/** The prompt as one string: free text, then each structured section as "name: value". */
export function promptText(request: Pick<GenerationRequest, "prompt">): string {
  const sections = Object.entries(request.prompt.sections)
    .filter(([, v]) => v && v.trim().length > 0)
    .map(([k, v]) => `${k}: ${v!.trim()}`);
  return [request.prompt.text.trim(), ...sections].filter(Boolean).join("\n");
}
