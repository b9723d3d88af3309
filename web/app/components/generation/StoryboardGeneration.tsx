import type { Shot } from "@reelhouse/shared/collab/schema";
import { useRef, useState } from "react";
import { JobProgress, sequenceView } from "./JobProgress";
import { pressSeed, sequenceShots, shotFields } from "./requests";
import { isActive } from "./types";
import { type Generation, newRequestId } from "./useGeneration";

/** "Generate" on one shot card: renders the shot's prompt as a clip that becomes its latest render. */
export function ShotGenerate(props: {
  gen: Generation;
  shot: Shot;
  index: number;
  canEdit: boolean;
}) {
  const { gen, shot } = props;
  const job = gen.shotJob(shot.id);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef<{ requestId: string; seed: number } | null>(null);
  const active = job && isActive(job.status);
  return (
    <div className="rh-gen-shot" data-testid="shot-generate">
      {active ? <JobProgress job={job} compact /> : null}
      {!active && job?.status === "failed" ? (
        <p className="rh-form-error rh-small">Last render failed: {job.error}</p>
      ) : null}
      {props.canEdit && !active ? (
        <button
          type="button"
          className="rh-btn rh-btn-xs"
          aria-label={`Generate shot ${props.index + 1}`}
          onClick={async () => {
            const press = inFlight.current ?? {
              requestId: newRequestId(),
              seed: pressSeed(gen.settings),
            };
            inFlight.current = press;
            setError(null);
            const settings = { ...gen.settings, seed: press.seed };
            const r = await gen.submit(shotFields(shot, settings, press.requestId)).catch(() => ({
              ok: false as const,
              error: "Could not reach the server.",
              code: "",
            }));
            inFlight.current = null;
            if (!r.ok) setError(r.error);
          }}
        >
          Generate shot
        </button>
      ) : null}
      {error ? (
        <p className="rh-form-error rh-small" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** "Render sequence": every shot rendered and stitched, with the newest sequence's progress. */
export function RenderSequence(props: { gen: Generation; shots: Shot[]; canEdit: boolean }) {
  const { gen, shots } = props;
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef<{ requestId: string; seed: number } | null>(null);
  const latest = gen.jobs.find((j) => j.kind === "sequence");
  const active = latest && isActive(latest.status);
  if (!props.canEdit && !active) return null;
  return (
    <div className="rh-gen-sequence">
      {props.canEdit ? (
        <button
          type="button"
          className="rh-btn rh-btn-sm"
          disabled={shots.length === 0 || Boolean(active)}
          onClick={async () => {
            const press = inFlight.current ?? {
              requestId: newRequestId(),
              seed: pressSeed(gen.settings),
            };
            inFlight.current = press;
            setError(null);
            const r = await gen
              .submit({
                intent: "sequence",
                requestId: press.requestId,
                shots: JSON.stringify(sequenceShots(shots, { ...gen.settings, seed: press.seed })),
                ...(gen.settings.backend ? { backend: gen.settings.backend } : {}),
              })
              .catch(() => ({
                ok: false as const,
                error: "Could not reach the server.",
                code: "",
              }));
            inFlight.current = null;
            if (!r.ok) setError(r.error);
          }}
        >
          Render sequence
        </button>
      ) : null}
      {active ? <JobProgress job={sequenceView(latest, gen.jobs)} compact /> : null}
      {error ? (
        <p className="rh-form-error rh-small" role="alert" data-testid="sequence-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
