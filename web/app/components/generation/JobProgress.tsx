import type { JobJson } from "./types";

const STAGE_LABELS: Record<string, string> = {
  queued: "Waiting in the queue",
  validating: "Checking the request",
  safety: "Safety check",
  rendering: "Rendering",
  stitching: "Stitching shots",
  probing: "Checking the video",
  storing: "Saving the draft",
  notifying: "Almost done",
  done: "Done",
};

export function stageLabel(stage: string): string {
  return STAGE_LABELS[stage] ?? stage;
}

/** A live progress bar with the stage's name and the percent. */
export function JobProgress(props: {
  job: Pick<JobJson, "stage" | "progress">;
  compact?: boolean;
}) {
  const pct = Math.max(0, Math.min(100, Math.round(props.job.progress)));
  const label = stageLabel(props.job.stage);
  return (
    <div className={props.compact ? "rh-gen-progress is-compact" : "rh-gen-progress"}>
      <div
        className="rh-gen-bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={`${label}, ${pct}%`}
        aria-label="Generation progress"
      >
        <span className="rh-gen-bar-fill" style={{ width: `${pct}%` }} />
      </div>
      <div className="rh-gen-progress-text">
        <span data-testid="job-stage">{label}</span>
        <span data-testid="job-percent">{pct}%</span>
      </div>
    </div>
  );
}

/**
 * What a sequence's bar shows: until its own stage moves past rendering (stitching starts at 80),
 * its progress is its shots' average mapped onto 5–80 (shots not started yet count as 0), so the
 * bar moves while the shots render. A clip's progress is its own.
 */
export function sequenceView(
  job: Pick<JobJson, "kind" | "stage" | "progress" | "shotCount" | "workflowId">,
  all: Pick<JobJson, "parentWorkflowId" | "progress" | "status">[],
): Pick<JobJson, "stage" | "progress"> {
  if (job.kind !== "sequence" || job.progress >= 80) return job;
  const shots = all.filter((j) => j.parentWorkflowId === job.workflowId);
  const total = Math.max(job.shotCount ?? 0, shots.length);
  if (total === 0 || shots.length === 0) return job;
  const sum = shots.reduce((s, j) => s + (j.status === "succeeded" ? 100 : j.progress), 0);
  const derived = Math.round(5 + (75 * sum) / (100 * total));
  return derived > job.progress ? { stage: "rendering", progress: derived } : job;
}
