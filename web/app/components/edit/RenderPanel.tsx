import type { Edit } from "@reelhouse/shared/edit/schema";
import { useRef, useState } from "react";
import { Link } from "react-router";
import { JobProgress } from "../generation/JobProgress";
import { isActive, type JobJson } from "../generation/types";
import { newRequestId } from "../generation/useGeneration";
import { postForm } from "./api";

/**
 * Render: compiles the live timeline on the server into a generation job of kind `edit`; its
 * progress (polled by the editor every second while it runs) shows with Cancel, and the result is shown as the new version it is,
 * with links to review and publish it. Earlier renders of this edit are listed under it.
 */
export function RenderPanel(props: {
  projectId: string;
  editId: string;
  csrf: string;
  canEdit: boolean;
  current: () => Edit | null;
  /** This edit's render jobs, newest first (the editor's one poller: useProjectJobs). */
  jobs: JobJson[];
  refresh: () => Promise<void>;
  onBusy: (busy: boolean) => void;
}) {
  const { projectId, editId, csrf } = props;
  const { jobs, refresh } = props;
  const [mine, setMine] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pressed = useRef<string | null>(null);

  const render = async () => {
    const edl = props.current();
    if (!edl) return setError("The timeline is not valid right now; fix it first.");
    setBusy(true);
    props.onBusy(true);
    setError(null);
    // One id per press: a retry of the same press is the same job on the server.
    pressed.current ??= newRequestId();
    const r = await postForm(`/projects/${projectId}/edits/${editId}`, {
      csrf,
      intent: "render",
      requestId: pressed.current,
      edl: JSON.stringify(edl),
    });
    setBusy(false);
    props.onBusy(false);
    if (!r.ok) return setError(r.error);
    pressed.current = null;
    setMine(String(r.workflowId));
    await refresh();
  };

  const cancel = async (workflowId: string) => {
    const r = await postForm(`/projects/${projectId}/jobs`, { csrf, intent: "cancel", workflowId });
    if (!r.ok) setError(r.error);
    await refresh();
  };

  const shown = mine ? (jobs.find((j) => j.workflowId === mine) ?? null) : (jobs[0] ?? null);
  return (
    <section className="rh-card rh-ed-render" aria-label="Render" data-testid="render-panel">
      <div className="rh-ed-render-head">
        <button
          type="button"
          className="rh-btn rh-btn-primary"
          disabled={!props.canEdit || busy || (shown ? isActive(shown.status) : false)}
          onClick={render}
          data-testid="render"
        >
          {busy ? "Sending…" : shown && isActive(shown.status) ? "Rendering…" : "Render"}
        </button>
        <span className="rh-muted rh-small">
          A new version of the draft; the sources never change.
        </span>
      </div>
      {error ? (
        <p className="rh-form-error" role="alert">
          {error}
        </p>
      ) : null}
      {shown ? (
        <div
          className={`rh-ed-result is-${shown.status}`}
          data-testid="render-job"
          data-status={shown.status}
        >
          {isActive(shown.status) ? (
            <>
              <JobProgress job={shown} />
              {props.canEdit ? (
                <button
                  type="button"
                  className="rh-btn rh-btn-sm rh-btn-ghost rh-danger"
                  onClick={() => cancel(shown.workflowId)}
                >
                  Cancel render
                </button>
              ) : null}
            </>
          ) : shown.status === "succeeded" && shown.draft ? (
            <div className="rh-ed-result-ok">
              {/* biome-ignore lint/a11y/useMediaCaption: the render has no caption track */}
              <video
                src={shown.draft.videoUrl}
                poster={shown.draft.posterUrl}
                controls
                playsInline
                preload="metadata"
                data-testid="render-video"
              />
              <div>
                <p className="rh-small">
                  <strong>New version ready</strong> · {(shown.draft.durationMs / 1000).toFixed(2)}{" "}
                  s · {shown.draft.width}×{shown.draft.height}
                </p>
                <p className="rh-ed-row">
                  <Link className="rh-btn rh-btn-sm" to={`/review/${shown.draft.id}`}>
                    Review
                  </Link>
                  {props.canEdit ? (
                    <Link className="rh-btn rh-btn-sm" to={`/publish/${shown.draft.id}`}>
                      Publish…
                    </Link>
                  ) : null}
                </p>
              </div>
            </div>
          ) : shown.status === "failed" ? (
            <p className="rh-form-error" role="alert">
              {shown.error || "The render failed."}
            </p>
          ) : (
            <p className="rh-muted">Render cancelled; nothing was written.</p>
          )}
        </div>
      ) : (
        <p className="rh-muted rh-small">Not rendered yet.</p>
      )}
      {jobs.length > 1 ? (
        <details className="rh-ed-history">
          <summary>Earlier renders ({jobs.length - 1})</summary>
          <ul>
            {jobs
              .filter((j) => j !== shown)
              .map((j) => (
                <li key={j.workflowId} className="rh-small">
                  {new Date(j.createdAt).toLocaleTimeString("en-GB", {
                    hour: "2-digit",
                    minute: "2-digit",
                  })}{" "}
                  · {j.status}
                  {j.draft ? (
                    <>
                      {" "}
                      · <Link to={`/review/${j.draft.id}`}>review</Link>
                    </>
                  ) : null}
                </li>
              ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
