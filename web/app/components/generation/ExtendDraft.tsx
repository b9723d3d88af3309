import { MAX_CLIP_SECONDS } from "@reelhouse/shared/generation/request";
import { useRef, useState } from "react";
import { requestExtend } from "../edit/api";
import { extendProblem } from "../edit/extend-rules";
import type { JobJson } from "./types";
import { newRequestId } from "./useGeneration";

/**
 * Extend on a draft card: continue this previz draft by N seconds into a new draft, the same
 * route the editor's Extend uses (`POST /projects/:projectId/drafts/:draftId/extend`). The new
 * render joins the list above with its progress and Cancel; a draft another backend made shows
 * why it cannot be extended.
 */
export function ExtendDraft(props: {
  projectId: string;
  job: JobJson;
  csrf: string;
  canEdit: boolean;
  onStarted: () => void;
}) {
  const draft = props.job.draft!;
  const seconds = Math.round(draft.durationMs / 1000);
  const problem = extendProblem(
    { backend: props.job.kind === "edit" ? "edit" : props.job.backend, seconds },
    props.canEdit,
  );
  const room = MAX_CLIP_SECONDS - seconds;
  const [open, setOpen] = useState(false);
  const [n, setN] = useState(Math.min(2, Math.max(1, room)));
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const pressed = useRef<string | null>(null);
  if (!open)
    return (
      <button
        type="button"
        className="rh-btn rh-btn-xs"
        title={problem ?? "Continue this clip by a few seconds into a new draft"}
        disabled={!!problem}
        onClick={() => setOpen(true)}
      >
        Extend…
      </button>
    );
  const start = async () => {
    setSending(true);
    setError(null);
    pressed.current ??= newRequestId();
    const r = await requestExtend({
      projectId: props.projectId,
      draftId: draft.id,
      csrf: props.csrf,
      requestId: pressed.current,
      seconds: n,
    });
    setSending(false);
    if (!r.ok) return setError(r.error);
    pressed.current = null;
    setOpen(false);
    props.onStarted();
  };
  return (
    <span className="rh-gen-extend" data-testid="card-extend">
      <label>
        +
        <select
          value={n}
          onChange={(e) => setN(Number(e.target.value))}
          aria-label="Extend by seconds"
        >
          {Array.from({ length: room }, (_, i) => i + 1).map((v) => (
            <option key={v} value={v}>
              {v} s
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="rh-btn rh-btn-xs rh-btn-primary"
        disabled={sending}
        onClick={() => void start()}
      >
        {sending ? "Sending…" : `Extend to ${seconds + n} s`}
      </button>
      <button
        type="button"
        className="rh-btn rh-btn-xs rh-btn-ghost"
        onClick={() => setOpen(false)}
      >
        Cancel
      </button>
      {error ? (
        <span className="rh-form-error" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}
