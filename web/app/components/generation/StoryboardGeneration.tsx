import type { Shot } from "@reelhouse/shared/collab/schema";
import { listSeconds } from "@reelhouse/shared/generation/capabilities";
import { useRef, useState } from "react";
import { JobProgress, sequenceView } from "./JobProgress";
import { chosenBackend, pressSeed, sequenceShots, shotFields, storyboardRefusal } from "./requests";
import { isActive } from "./types";
import { type Generation, newRequestId, SIZES } from "./useGeneration";

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
  // What the chosen backend cannot make is not offered: the button waits for a duration it can.
  const refusal = storyboardRefusal(
    chosenBackend(gen.backends, gen.settings.backend),
    [shot],
    gen.settings.size,
  );
  return (
    <div className="rh-gen-shot" data-testid="shot-generate">
      {active ? <JobProgress job={job} compact /> : null}
      {!active && job?.status === "failed" ? (
        <p className="rh-form-error rh-small">Last render failed: {job.error}</p>
      ) : null}
      {props.canEdit && !active && refusal ? (
        <p className="rh-muted rh-small" data-testid="shot-unsupported">
          {refusal.message}
        </p>
      ) : null}
      {props.canEdit && !active ? (
        <button
          type="button"
          className="rh-btn rh-btn-xs"
          disabled={Boolean(refusal)}
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
  const backend = chosenBackend(gen.backends, gen.settings.backend);
  const caps = backend?.capabilities;
  const refusal = storyboardRefusal(backend, shots, gen.settings.size);
  if (!props.canEdit && !active) return null;
  return (
    <div className="rh-gen-sequence">
      {props.canEdit && gen.backends.length > 0 ? (
        <div className="rh-gen-sequence-controls" data-testid="storyboard-render-controls">
          {/* The same settings as the generate form: one backend and size for the project. */}
          <label className="rh-field rh-field-inline">
            <span className="rh-field-label">Backend</span>
            <select
              name="storyboardBackend"
              aria-label="Storyboard backend"
              value={backend?.name ?? ""}
              onChange={(e) => gen.setSettings({ backend: e.target.value })}
            >
              {gen.backends.map((b) => (
                <option key={b.name} value={b.name}>
                  {b.label}
                </option>
              ))}
            </select>
          </label>
          <label className="rh-field rh-field-inline">
            <span className="rh-field-label">Size</span>
            <select
              name="storyboardSize"
              aria-label="Storyboard size"
              value={gen.settings.size}
              onChange={(e) => gen.setSettings({ size: e.target.value })}
            >
              {SIZES.filter((s) => !caps || caps.sizes.includes(s.value)).map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
          {caps ? (
            <span className="rh-muted rh-small" data-testid="storyboard-capabilities">
              Shots of {listSeconds(caps.durations)} ·{" "}
              {caps.audio ? "with sound" : "silent (no audio from the model)"}
            </span>
          ) : null}
        </div>
      ) : null}
      {props.canEdit ? (
        <button
          type="button"
          className="rh-btn rh-btn-sm"
          disabled={shots.length === 0 || Boolean(active) || Boolean(refusal)}
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
      {props.canEdit && !active && refusal ? (
        <p className="rh-muted rh-small" data-testid="sequence-unsupported">
          {refusal.shot === null ? refusal.message : `Shot ${refusal.shot + 1}: ${refusal.message}`}
        </p>
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
