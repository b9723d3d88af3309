import { MAX_CLIP_SECONDS } from "@reelhouse/shared/generation/request";
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { JobProgress } from "../generation/JobProgress";
import { isActive, type JobJson } from "../generation/types";
import { newRequestId } from "../generation/useGeneration";
import { postForm, requestExtend } from "./api";
import {
  extendFacts,
  extendProblem,
  extendRoom,
  parseExtendSeconds,
  sourceSeconds,
} from "./extend-rules";
import type { PlacedClip } from "./timeline";
import type { EditorSource } from "./types";

/** Quick choices, in seconds (those past the room left are not offered). */
const QUICK = [1, 2, 4, 8] as const;

/**
 * Extend: continue the selected clip's previz draft by N whole seconds into a NEW draft (the
 * source never changes). While it renders: progress and Cancel; then its poster, length and
 * "Use in clip N" (the clip plays the longer draft: its in point kept, its out point at the new
 * end) or "Add after clip N". Earlier extensions of the same draft stay on offer.
 */
export function ExtendPanel(props: {
  projectId: string;
  csrf: string;
  canEdit: boolean;
  clip: PlacedClip | null;
  sources: Record<string, EditorSource>;
  jobs: JobJson[];
  refresh: () => Promise<void>;
  onBusy: (busy: boolean) => void;
  onUse: (ext: EditorSource) => void;
  onAdd: (ext: EditorSource) => void;
  onClose: () => void;
}) {
  const { clip, sources } = props;
  const src = clip ? sources[clip.draftId] : undefined;
  const problem = extendProblem(extendFacts(src), props.canEdit);
  const room = src ? Math.max(0, extendRoom(src)) : 0;
  const [seconds, setSeconds] = useState(2);
  const [text, setText] = useState("2");
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [mine, setMine] = useState<string | null>(null);
  const pressed = useRef<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const box = useRef<HTMLElement>(null);
  useEffect(() => {
    box.current?.scrollIntoView({ block: "nearest" });
    input.current?.focus({ preventScroll: true });
  }, []);
  // Another clip selected with less room pulls the choice down with it (a number typed past the
  // room is refused on Extend, never clamped silently).
  const lastRoom = useRef(room);
  useEffect(() => {
    if (room === lastRoom.current) return;
    lastRoom.current = room;
    setSeconds((v) => (room >= 1 && v > room ? room : v));
    setText((t) => (room >= 1 && Number(t) > room ? String(room) : t));
  }, [room]);

  const draftId = src?.draftId ?? "";
  const jobs = props.jobs.filter((j) => j.workflowId.startsWith(`extend:${draftId}:`));
  const shown = (mine ? jobs.find((j) => j.workflowId === mine) : undefined) ?? jobs[0] ?? null;
  const earlier = Object.values(sources).filter(
    (s) => s.extendOf === draftId && s.draftId !== shown?.draft?.id,
  );
  const running = shown ? isActive(shown.status) : false;

  const choose = (v: number) => {
    setSeconds(v);
    setText(String(v));
    setError(null);
  };
  const start = async () => {
    if (problem || !src) return;
    const v = parseExtendSeconds(text, src);
    if (typeof v === "string") return setError(v);
    setSending(true);
    props.onBusy(true);
    setError(null);
    // One id per press: a retried press is the same job on the server (`duplicate`).
    pressed.current ??= newRequestId();
    const r = await requestExtend({
      projectId: props.projectId,
      draftId: src.draftId,
      csrf: props.csrf,
      requestId: pressed.current,
      seconds: v,
    });
    setSending(false);
    props.onBusy(false);
    if (!r.ok) return setError(r.error);
    pressed.current = null;
    setMine(String(r.workflowId));
    await props.refresh();
  };
  const cancel = async (workflowId: string) => {
    const r = await postForm(`/projects/${props.projectId}/jobs`, {
      csrf: props.csrf,
      intent: "cancel",
      workflowId,
    });
    if (!r.ok) setError(r.error);
    await props.refresh();
  };

  const result = shown?.status === "succeeded" && shown.draft ? shown.draft : null;
  const resultSource = result ? sources[result.id] : undefined;
  const n = clip ? clip.index + 1 : 0;
  return (
    <section
      ref={box}
      className="rh-ed-extend"
      aria-label="Extend"
      data-testid="extend-panel"
      data-state={running ? "running" : (shown?.status ?? "idle")}
    >
      <div className="rh-ed-extend-head">
        <p className="rh-ed-panel-title">
          Extend {clip ? `clip ${n}` : ""}
          {src ? (
            <span className="rh-muted rh-small">
              {" "}
              · {src.label || "draft"} · {sourceSeconds(src)} s
            </span>
          ) : null}
        </p>
        <button
          type="button"
          className="rh-btn rh-btn-xs rh-btn-ghost"
          aria-label="Close Extend"
          title="Close (Esc)"
          onClick={props.onClose}
        >
          ×
        </button>
      </div>
      {problem ? (
        <p className="rh-ed-extend-why" data-testid="extend-unavailable">
          {problem}
        </p>
      ) : (
        <p className="rh-muted rh-small">
          Renders the same plan for longer — subjects, camera, weather and music carry on — and
          keeps the first {src ? sourceSeconds(src) : 0} s frame for frame. The result is a new
          draft; this clip does not change until you use it.
        </p>
      )}
      <form
        className="rh-ed-extend-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <fieldset className="rh-ed-extend-quick" disabled={!!problem || running || sending}>
          <legend className="rh-sr-only">Extend by</legend>
          {QUICK.map((q) => (
            <button
              key={q}
              type="button"
              className={`rh-btn rh-btn-xs${seconds === q && text === String(q) ? " rh-btn-primary" : ""}`}
              aria-pressed={seconds === q && text === String(q)}
              disabled={q > room}
              title={
                q > room
                  ? `At most ${room} s more (clips are at most ${MAX_CLIP_SECONDS} s)`
                  : undefined
              }
              onClick={() => choose(q)}
            >
              +{q} s
            </button>
          ))}
        </fieldset>
        <label className="rh-ed-extend-n">
          <span>By</span>
          <input
            ref={input}
            type="number"
            inputMode="numeric"
            className="rh-ed-num"
            min={1}
            max={Math.max(1, room)}
            step={1}
            value={text}
            aria-label="Extend by seconds"
            aria-invalid={error ? true : undefined}
            disabled={!!problem || running || sending}
            onKeyDown={(e) => {
              if (e.key === "Escape") props.onClose();
            }}
            onChange={(e) => {
              setText(e.target.value);
              const v = Number(e.target.value);
              if (Number.isInteger(v)) setSeconds(v);
            }}
          />
          <span>s</span>
          {src && !problem ? (
            <span className="rh-muted rh-small" data-testid="extend-total">
              {sourceSeconds(src)} s → {sourceSeconds(src) + (Number(text) || 0)} s · up to +{room}{" "}
              s
            </span>
          ) : null}
        </label>
        <button
          type="submit"
          className="rh-btn rh-btn-sm rh-btn-primary"
          disabled={!!problem || running || sending}
          data-testid="extend-start"
        >
          {sending ? "Sending…" : running ? "Extending…" : `Extend by ${text || "…"} s`}
        </button>
      </form>
      {error ? (
        <p className="rh-form-error" role="alert" data-testid="extend-error">
          {error}
        </p>
      ) : null}
      {shown ? (
        <div className="rh-ed-extend-job" data-testid="extend-job" data-status={shown.status}>
          {running ? (
            <>
              <JobProgress job={shown} />
              <button
                type="button"
                className="rh-btn rh-btn-sm rh-btn-ghost rh-danger"
                onClick={() => void cancel(shown.workflowId)}
              >
                Cancel extend
              </button>
            </>
          ) : result ? (
            <ExtensionCard
              draftId={result.id}
              posterUrl={result.posterUrl}
              seconds={result.durationMs / 1000}
              source={resultSource}
              clipNumber={n}
              canEdit={props.canEdit}
              onUse={props.onUse}
              onAdd={props.onAdd}
            />
          ) : shown.status === "failed" ? (
            <p className="rh-form-error" role="alert">
              {shown.error || "The extension failed."} Nothing was added; try again.
            </p>
          ) : (
            <p className="rh-muted rh-small">Extend cancelled; nothing was written.</p>
          )}
        </div>
      ) : null}
      {earlier.length > 0 ? (
        <details className="rh-ed-history">
          <summary>Earlier extensions of this draft ({earlier.length})</summary>
          {earlier.map((s) => (
            <ExtensionCard
              key={s.draftId}
              draftId={s.draftId}
              posterUrl={s.posterUrl}
              seconds={s.frames / s.fps}
              source={s}
              clipNumber={n}
              canEdit={props.canEdit}
              onUse={props.onUse}
              onAdd={props.onAdd}
            />
          ))}
        </details>
      ) : null}
    </section>
  );
}

/** A finished extension: its poster and length, and the two ways onto the timeline. */
function ExtensionCard(props: {
  draftId: string;
  posterUrl: string;
  seconds: number;
  source: EditorSource | undefined;
  clipNumber: number;
  canEdit: boolean;
  onUse: (ext: EditorSource) => void;
  onAdd: (ext: EditorSource) => void;
}) {
  const s = props.source;
  return (
    <div className="rh-ed-extend-result" data-testid="extend-result" data-draft-id={props.draftId}>
      <img src={props.posterUrl} alt="" className="rh-ed-extend-poster" loading="lazy" />
      <div className="rh-ed-stack">
        <p className="rh-small">
          <strong>New draft</strong> · {props.seconds.toFixed(2)} s
        </p>
        <div className="rh-ed-row">
          <button
            type="button"
            className="rh-btn rh-btn-xs rh-btn-primary"
            disabled={!s || !props.canEdit}
            title="This clip plays the longer draft: its in point stays, its out point moves to the new end"
            onClick={() => s && props.onUse(s)}
          >
            {s ? `Use in clip ${props.clipNumber}` : "Loading…"}
          </button>
          <button
            type="button"
            className="rh-btn rh-btn-xs"
            disabled={!s || !props.canEdit}
            onClick={() => s && props.onAdd(s)}
          >
            Add after clip {props.clipNumber}
          </button>
          <Link className="rh-btn rh-btn-xs rh-btn-ghost" to={`/review/${props.draftId}`}>
            Review
          </Link>
        </div>
      </div>
    </div>
  );
}
