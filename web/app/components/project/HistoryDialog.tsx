import { useEffect, useRef, useState } from "react";
import { useFetcher } from "react-router";
import { CsrfInput } from "../ui";
import { ModalDialog } from "./ModalDialog";

export interface SnapshotView {
  id: string;
  name: string;
  kind: "manual" | "auto" | "pre-restore";
  createdAt: string;
  createdBy: string | null;
}

export interface SnapshotPreview {
  promptText: string;
  shots: { id: string; prompt: string; durationSeconds: number; camera: string }[];
  roles: number;
  threads: number;
}

type Answer =
  | { ok: true; value?: { undoSnapshot?: { id: string; name: string } } }
  | { ok: false; error: string };

const KIND_LABEL: Record<SnapshotView["kind"], string> = {
  manual: "Named",
  auto: "Daily",
  "pre-restore": "Before restore",
};

/** Version history: name the current state, preview a snapshot, restore it (and undo that). */
export function HistoryDialog(props: {
  open: boolean;
  onClose: () => void;
  projectId: string;
  snapshots: SnapshotView[];
  canRestore: boolean;
  names: Record<string, string>;
}) {
  const save = useFetcher<Answer>();
  const restore = useFetcher<Answer>();
  const preview = useFetcher<SnapshotPreview | { error: string }>();
  const [selected, setSelected] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (save.state === "idle" && save.data?.ok && nameRef.current) nameRef.current.value = "";
  }, [save.state, save.data]);

  const undo = restore.data?.ok ? restore.data.value?.undoSnapshot : undefined;
  const sel = props.snapshots.find((s) => s.id === selected);

  return (
    <ModalDialog
      open={props.open}
      onClose={props.onClose}
      title="Version history"
      titleId="history-title"
      wide
    >
      {props.canRestore && (
        <save.Form method="post" className="rh-row">
          <CsrfInput />
          <input type="hidden" name="intent" value="snapshot" />
          <input
            ref={nameRef}
            name="name"
            placeholder="Name this version, e.g. Sent to client"
            maxLength={120}
            required
            aria-label="Version name"
          />
          <button
            type="submit"
            className="rh-btn rh-btn-primary rh-btn-sm"
            disabled={save.state !== "idle"}
          >
            Save version
          </button>
        </save.Form>
      )}
      {save.data && !save.data.ok && (
        <p className="rh-form-error" role="alert">
          {save.data.error}
        </p>
      )}
      {restore.data && !restore.data.ok && (
        <p className="rh-form-error" role="alert">
          {restore.data.error}
        </p>
      )}
      {undo && (
        <div className="alert alert-success rh-row" role="status">
          <span>Restored. Everyone sees the restored version now.</span>
          <restore.Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="restore" />
            <input type="hidden" name="snapshotId" value={undo.id} />
            <button type="submit" className="rh-btn rh-btn-sm">
              Undo restore
            </button>
          </restore.Form>
        </div>
      )}
      <div className="rh-history">
        <ul className="rh-history-list">
          {props.snapshots.length === 0 && (
            <li className="rh-muted">
              No versions yet. A daily version is saved automatically while people edit; name one
              any time.
            </li>
          )}
          {props.snapshots.map((s) => (
            <li key={s.id}>
              <button
                type="button"
                className={`rh-history-item ${selected === s.id ? "is-on" : ""}`}
                onClick={() => {
                  setSelected(s.id);
                  preview.load(`/projects/${props.projectId}/history/${s.id}`);
                }}
              >
                <strong>{s.name}</strong>
                <span className="rh-muted rh-small">
                  {KIND_LABEL[s.kind]} · {new Date(s.createdAt).toLocaleString()}
                  {s.createdBy && props.names[s.createdBy] ? ` · ${props.names[s.createdBy]}` : ""}
                </span>
              </button>
            </li>
          ))}
        </ul>
        <div className="rh-history-preview">
          {!sel ? (
            <p className="rh-muted">Select a version to preview it.</p>
          ) : preview.state !== "idle" || !preview.data ? (
            <p className="rh-muted">Loading preview…</p>
          ) : "error" in preview.data ? (
            <p className="rh-form-error">{preview.data.error}</p>
          ) : (
            <>
              <h3 className="rh-h3">{sel.name}</h3>
              <p className="rh-small rh-muted">
                {preview.data.shots.length} shots · {preview.data.roles} roles ·{" "}
                {preview.data.threads} comment threads
              </p>
              <h4>Prompt</h4>
              <pre className="rh-preview-prompt">{preview.data.promptText || "(empty)"}</pre>
              <h4>Storyboard</h4>
              <ol className="rh-preview-shots">
                {preview.data.shots.map((s) => (
                  <li key={s.id}>
                    <strong>{s.durationSeconds}s</strong>{" "}
                    {s.prompt || <em className="rh-muted">no prompt</em>}
                    {s.camera && <span className="rh-muted"> · {s.camera}</span>}
                  </li>
                ))}
              </ol>
              {props.canRestore && (
                <restore.Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="restore" />
                  <input type="hidden" name="snapshotId" value={sel.id} />
                  <button
                    type="submit"
                    className="rh-btn rh-btn-primary"
                    disabled={restore.state !== "idle"}
                  >
                    Restore this version
                  </button>
                  <span className="rh-muted rh-small">
                    {" "}
                    The current state is saved first, so you can undo.
                  </span>
                </restore.Form>
              )}
            </>
          )}
        </div>
      </div>
    </ModalDialog>
  );
}
