import type { BackendCapabilities } from "@reelhouse/shared/generation/capabilities";
/**
 * What the jobs resource route (`/projects/:projectId/jobs`) answers, as the browser sees it.
 * Plain types only: importable from client components.
 */

export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface SpriteJson {
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  intervalSeconds: number;
  count: number;
}

export interface DraftJson {
  id: string;
  videoUrl: string;
  posterUrl: string;
  spriteUrl: string;
  sprite: SpriteJson | null;
  durationMs: number;
  width: number;
  height: number;
  /** Who made the draft (who may rename or delete it, with the workspace's owners). */
  createdBy: string;
}

export interface JobJson {
  workflowId: string;
  kind: "clip" | "sequence" | "edit" | "upload";
  userId: string;
  /** Who started the render ("" when unknown). */
  username: string;
  backend: string;
  status: JobStatus;
  stage: string;
  progress: number;
  error: string | null;
  shotId: string | null;
  parentWorkflowId: string | null;
  /** A short human label: the prompt's first line, or "Sequence of N shots". */
  label: string;
  /** True when the label is a name someone gave the draft (not the prompt). */
  renamed: boolean;
  /** Requested size, e.g. "720x1280" (a sequence: its first shot's). */
  size: string;
  /** The seed it was rendered with (a sequence: its first shot's), to reuse; null if unknown. */
  seed: number | null;
  /** A sequence's number of shots (null for a clip). */
  shotCount: number | null;
  draft: DraftJson | null;
  createdAt: string;
}

export interface BackendJson {
  name: string;
  label: string;
  /** What it can make: the generate form offers only these (the server refuses the rest). */
  capabilities: BackendCapabilities;
}

export interface JobsResponse {
  jobs: JobJson[];
  backends: BackendJson[];
  defaultBackend: string;
}

/** A refusal from the server: a clear message, and the field it is about when there is one. */
export interface Refusal {
  ok: false;
  error: string;
  code: string;
  field?: string;
}

export type SubmitResponse = { ok: true; job: JobJson; duplicate: boolean } | Refusal;
export type CancelResponse = { ok: true; job: JobJson } | Refusal;
export type RenameResponse = { ok: true; title: string } | Refusal;
export type DeleteResponse = { ok: true; files: number } | Refusal;

export const isActive = (s: JobStatus) => s === "queued" || s === "running";
