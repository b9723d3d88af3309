import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { postForm } from "../edit/api";
import { useCsrfToken } from "../ui";
import { ExtendDraft } from "./ExtendDraft";
import { filterRenders, isFiltered, makers, NO_FILTER, type RenderFilter } from "./filter";
import { JobProgress, sequenceView } from "./JobProgress";
import { type DraftJson, isActive, type JobJson } from "./types";
import type { Generation } from "./useGeneration";

function aspect(size: string): string {
  const [w, h] = size.split("x").map(Number);
  return w && h ? `${w} / ${h}` : "9 / 16";
}

function timeOf(iso: string): string {
  const d = new Date(iso);
  return d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

const STATUS_TEXT: Record<JobJson["status"], string> = {
  queued: "Queued",
  running: "Rendering",
  succeeded: "Ready",
  failed: "Failed",
  cancelled: "Cancelled",
};

/**
 * The project's renders, newest first: a shimmer while a job renders (with its live progress bar and
 * a Cancel button), the error when it failed, and the playable draft (poster first) when it is done.
 * A sequence shows how many of its shots are rendered.
 */
export function JobsPanel(props: {
  gen: Generation;
  canEdit: boolean;
  /** Owners may rename and delete anyone's draft; others only their own. */
  isOwner: boolean;
  userId: string;
}) {
  const { gen } = props;
  const top = gen.jobs.filter((j) => !j.parentWorkflowId);
  const [filter, setFilter] = useState<RenderFilter>(NO_FILTER);
  const shown = filterRenders(top, filter);
  const active = top.filter((j) => isActive(j.status)).length;
  const set = (patch: Partial<RenderFilter>) => setFilter((f) => ({ ...f, ...patch }));
  const people = makers(top);
  const navigate = useNavigate();
  const csrf = useCsrfToken();
  // Drafts picked for one edit, in the order they were picked (the timeline's order).
  const [picked, setPicked] = useState<string[]>([]);
  const [opening, setOpening] = useState(false);
  const [editError, setEditError] = useState<string | null>(null);
  const openEdit = async (draftIds: string[]) => {
    setOpening(true);
    setEditError(null);
    const r = await postForm(`/projects/${gen.projectId}/edits`, {
      csrf,
      draftIds: draftIds.join(","),
    });
    setOpening(false);
    if (!r.ok) return setEditError(r.error);
    const edit = r.edit as { id: string };
    navigate(`/projects/${gen.projectId}/edit/${edit.id}`);
  };
  return (
    <section className="rh-card rh-gen-jobs" aria-labelledby="gen-jobs-title">
      <header className="rh-section-head">
        <h2 id="gen-jobs-title">Renders</h2>
        <span className="rh-muted rh-small" data-testid="renders-count">
          {isFiltered(filter)
            ? `${shown.length} of ${top.length} shown`
            : active > 0
              ? `${active} in progress`
              : `${top.length} ${top.length === 1 ? "draft" : "drafts"}`}
        </span>
      </header>
      {top.length > 0 ? (
        <search className="rh-gen-filter" aria-label="Filter renders">
          <input
            type="search"
            className="rh-input"
            placeholder="Search renders"
            aria-label="Search renders"
            value={filter.text}
            onChange={(e) => set({ text: e.target.value })}
          />
          <select
            className="rh-input"
            aria-label="Status"
            value={filter.status}
            onChange={(e) => set({ status: e.target.value as RenderFilter["status"] })}
          >
            <option value="all">Any status</option>
            <option value="active">In progress</option>
            <option value="succeeded">Ready</option>
            <option value="failed">Failed</option>
            <option value="cancelled">Cancelled</option>
          </select>
          <select
            className="rh-input"
            aria-label="Kind"
            value={filter.kind}
            onChange={(e) => set({ kind: e.target.value as RenderFilter["kind"] })}
          >
            <option value="all">Any kind</option>
            <option value="clip">Clips</option>
            <option value="sequence">Sequences</option>
            <option value="edit">Edits</option>
          </select>
          <select
            className="rh-input"
            aria-label="Made by"
            value={filter.by}
            onChange={(e) => set({ by: e.target.value })}
          >
            <option value="all">Anyone</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.id === props.userId ? "Me" : `@${p.username}`}
              </option>
            ))}
          </select>
          {isFiltered(filter) ? (
            <button
              type="button"
              className="rh-btn rh-btn-xs rh-btn-ghost"
              onClick={() => setFilter(NO_FILTER)}
            >
              Clear
            </button>
          ) : null}
        </search>
      ) : null}
      {picked.length > 0 ? (
        <div className="rh-gen-pickbar" data-testid="edit-pickbar">
          <span>
            {picked.length} {picked.length === 1 ? "draft" : "drafts"} picked, in this order
          </span>
          <button
            type="button"
            className="rh-btn rh-btn-sm rh-btn-primary"
            disabled={opening}
            onClick={() => openEdit(picked)}
          >
            {opening ? "Opening…" : "Open in editor"}
          </button>
          <button
            type="button"
            className="rh-btn rh-btn-sm rh-btn-ghost"
            onClick={() => setPicked([])}
          >
            Clear
          </button>
        </div>
      ) : null}
      {editError ? (
        <p className="rh-form-error" role="alert">
          {editError}
        </p>
      ) : null}
      {!gen.loaded ? (
        <div className="rh-gen-empty rh-skeleton" aria-busy="true" />
      ) : top.length === 0 ? (
        <p className="rh-muted rh-gen-empty-text">
          No renders yet. Write a prompt and press Generate, or render a storyboard shot.
        </p>
      ) : shown.length === 0 ? (
        <p className="rh-muted rh-gen-empty-text">
          No render matches.{" "}
          <button
            type="button"
            className="rh-btn rh-btn-xs rh-btn-ghost"
            onClick={() => setFilter(NO_FILTER)}
          >
            Clear the filter
          </button>
        </p>
      ) : (
        <ul className="rh-gen-list">
          {shown.map((job) => (
            <JobCard
              key={job.workflowId}
              job={job}
              shots={gen.jobs.filter((c) => c.parentWorkflowId === job.workflowId)}
              canCancel={props.canEdit || job.userId === props.userId}
              canPublish={props.canEdit}
              canManage={
                !!job.draft &&
                props.canEdit &&
                (props.isOwner || job.draft.createdBy === props.userId)
              }
              picked={job.draft ? picked.indexOf(job.draft.id) : -1}
              onPick={
                props.canEdit && job.draft
                  ? (on: boolean) => {
                      const id = job.draft!.id;
                      setPicked((list) =>
                        on ? [...list.filter((x) => x !== id), id] : list.filter((x) => x !== id),
                      );
                    }
                  : undefined
              }
              onEdit={props.canEdit && job.draft ? () => openEdit([job.draft!.id]) : undefined}
              extend={
                props.canEdit && job.draft && job.status === "succeeded" ? (
                  <ExtendDraft
                    projectId={gen.projectId}
                    job={job}
                    csrf={csrf}
                    canEdit={props.canEdit}
                    onStarted={() => void gen.refresh()}
                  />
                ) : null
              }
              onCancel={() => gen.cancel(job.workflowId)}
              onRename={(title) => gen.renameDraft(job.draft!.id, title)}
              onDelete={() => gen.deleteDraft(job.draft!.id)}
              onReuseSeed={
                props.canEdit && job.seed !== null
                  ? () => gen.setSettings({ seed: job.seed!, seedLocked: true })
                  : undefined
              }
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function JobCard(props: {
  job: JobJson;
  shots: JobJson[];
  canCancel: boolean;
  /** Editors and owners may publish a draft to the feed (the publish page checks again). */
  canPublish: boolean;
  /** The draft's maker (an editor) or a workspace owner: rename and delete. */
  canManage: boolean;
  /** Its place among the drafts picked for an edit (−1: not picked). */
  picked: number;
  onPick?: (on: boolean) => void;
  /** Open this draft alone in the editor. */
  onEdit?: () => void;
  /** Extend this draft (ExtendDraft), for editors. */
  extend?: React.ReactNode;
  onCancel: () => Promise<{ ok: boolean; error?: string }>;
  onRename: (title: string) => Promise<{ ok: boolean; error?: string }>;
  onDelete: () => Promise<{ ok: boolean; error?: string }>;
  /** Lock the generate form's seed to this render's (Generate then repeats this variation). */
  onReuseSeed?: () => void;
}) {
  const { job } = props;
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [manageError, setManageError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (act: () => Promise<{ ok: boolean; error?: string }>) => {
    setBusy(true);
    setManageError(null);
    const r = await act().catch(() => ({ ok: false, error: "Could not reach the server." }));
    setBusy(false);
    if (!r.ok) setManageError(r.error ?? "That did not work.");
    return r.ok;
  };
  const active = isActive(job.status);
  const done = props.shots.filter((s) => s.status === "succeeded").length;
  return (
    <li
      className={`rh-gen-job is-${job.status}`}
      data-testid="job"
      data-status={job.status}
      data-workflow-id={job.workflowId}
    >
      <div className="rh-gen-media" style={{ aspectRatio: aspect(job.size) }}>
        {job.draft ? (
          <DraftPlayer draft={job.draft} label={job.label} />
        ) : active ? (
          <div className="rh-gen-shimmer rh-skeleton" aria-hidden="true" />
        ) : (
          <div className="rh-gen-nomedia" aria-hidden="true">
            {job.status === "failed" ? "!" : "×"}
          </div>
        )}
      </div>
      <div className="rh-gen-job-body">
        <div className="rh-gen-job-top">
          <span className={`rh-gen-status is-${job.status}`}>{STATUS_TEXT[job.status]}</span>
          <span className="rh-muted rh-small">
            {job.kind === "sequence"
              ? "Sequence"
              : job.kind === "edit"
                ? "Edit"
                : job.kind === "upload"
                  ? "Upload"
                  : "Clip"}{" "}
            · {job.size.replace("x", "×")} · {timeOf(job.createdAt)}
          </span>
        </div>
        {renaming ? (
          <form
            className="rh-gen-rename"
            onSubmit={async (e) => {
              e.preventDefault();
              const title = String(new FormData(e.currentTarget).get("title") ?? "");
              if (await run(() => props.onRename(title))) setRenaming(false);
            }}
          >
            <input
              name="title"
              className="rh-input"
              aria-label="Draft name"
              defaultValue={job.label}
              maxLength={120}
              autoFocus
              onKeyDown={(e) => {
                if (e.key === "Escape") setRenaming(false);
              }}
            />
            <button type="submit" className="rh-btn rh-btn-xs rh-btn-primary" disabled={busy}>
              Save
            </button>
            <button
              type="button"
              className="rh-btn rh-btn-xs rh-btn-ghost"
              onClick={() => setRenaming(false)}
            >
              Cancel
            </button>
          </form>
        ) : (
          <p className="rh-gen-label" title={job.label} data-testid="render-label">
            {job.label}
          </p>
        )}
        {job.kind === "sequence" && active ? (
          <p className="rh-muted rh-small" data-testid="sequence-shots">
            {done} of {job.shotCount ?? props.shots.length} shots rendered
          </p>
        ) : null}
        {active ? <JobProgress job={sequenceView(job, props.shots)} /> : null}
        {job.status === "failed" ? (
          <p className="rh-form-error" role="alert">
            {job.error || "The render failed."}
          </p>
        ) : null}
        {job.draft ? (
          <p className="rh-muted rh-small rh-gen-meta">
            <span>
              {(job.draft.durationMs / 1000).toFixed(1)} s · {job.draft.width}×{job.draft.height}
            </span>
            <Link className="rh-btn rh-btn-xs" to={`/review/${job.draft.id}`}>
              Review
            </Link>
            {job.seed !== null ? (
              <span data-testid="draft-seed">
                Seed {job.seed}
                {props.onReuseSeed ? (
                  <button
                    type="button"
                    className="rh-btn rh-btn-xs rh-btn-ghost"
                    title="Lock the Generate seed to this one, to repeat or refine this variation"
                    onClick={props.onReuseSeed}
                  >
                    Reuse
                  </button>
                ) : null}
              </span>
            ) : null}
            {props.onEdit ? (
              <button type="button" className="rh-btn rh-btn-xs" onClick={props.onEdit}>
                Edit
              </button>
            ) : null}
            {props.extend}
            {props.canPublish ? (
              <Link className="rh-btn rh-btn-xs" to={`/publish/${job.draft.id}`}>
                Publish…
              </Link>
            ) : null}
            {props.onPick ? (
              <label
                className="rh-gen-pick"
                title="Pick several drafts, then open them together in one edit"
              >
                <input
                  type="checkbox"
                  checked={props.picked >= 0}
                  onChange={(e) => props.onPick!(e.target.checked)}
                />
                {props.picked >= 0 ? `#${props.picked + 1} in edit` : "Add to edit"}
              </label>
            ) : null}
          </p>
        ) : null}
        {active && props.canCancel ? (
          <button
            type="button"
            className="rh-btn rh-btn-sm rh-btn-ghost rh-danger"
            disabled={cancelling}
            onClick={async () => {
              setCancelling(true);
              setCancelError(null);
              const r = await props.onCancel().catch(() => ({
                ok: false,
                error: "Could not reach the server.",
              }));
              if (!r.ok) setCancelError(r.error ?? "Could not cancel.");
              setCancelling(false);
            }}
          >
            {cancelling ? "Cancelling…" : "Cancel"}
          </button>
        ) : null}
        {props.canManage && !active ? (
          <p className="rh-gen-manage">
            {confirmDelete ? (
              <>
                <span className="rh-small">Delete this draft and its files?</span>
                <button
                  type="button"
                  className="rh-btn rh-btn-xs rh-danger"
                  disabled={busy}
                  onClick={async () => {
                    if (!(await run(props.onDelete))) setConfirmDelete(false);
                  }}
                >
                  {busy ? "Deleting…" : "Delete draft"}
                </button>
                <button
                  type="button"
                  className="rh-btn rh-btn-xs rh-btn-ghost"
                  onClick={() => setConfirmDelete(false)}
                >
                  Keep
                </button>
              </>
            ) : (
              <>
                <button
                  type="button"
                  className="rh-btn rh-btn-xs rh-btn-ghost"
                  onClick={() => {
                    setManageError(null);
                    setRenaming(true);
                  }}
                >
                  Rename
                </button>
                <button
                  type="button"
                  className="rh-btn rh-btn-xs rh-btn-ghost rh-danger"
                  onClick={() => {
                    setManageError(null);
                    setConfirmDelete(true);
                  }}
                >
                  Delete…
                </button>
              </>
            )}
          </p>
        ) : null}
        {manageError ? (
          <p className="rh-form-error" role="alert">
            {manageError}
          </p>
        ) : null}
        {cancelError ? (
          <p className="rh-form-error" role="alert">
            {cancelError}
          </p>
        ) : null}
      </div>
    </li>
  );
}

/**
 * The draft's video (poster first, seekable). Before it is first played, moving the pointer across
 * it previews the clip from the thumbnail spritesheet (hover-scrub); the overlay never takes clicks.
 */
function DraftPlayer(props: { draft: DraftJson; label: string }) {
  const { draft } = props;
  const [tile, setTile] = useState<number | null>(null);
  const [played, setPlayed] = useState(false);
  const sprite = draft.sprite;
  const scrub =
    sprite && !played
      ? (e: React.MouseEvent<HTMLDivElement>) => {
          const r = e.currentTarget.getBoundingClientRect();
          // Over the controls bar: leave the controls visible.
          if (e.clientY > r.bottom - 44) return setTile(null);
          const f = Math.min(0.999, Math.max(0, (e.clientX - r.left) / r.width));
          setTile(Math.floor(f * sprite.count));
        }
      : undefined;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a pointer-only preview; the video inside is the keyboard-accessible control
    <div
      className="rh-gen-player"
      onMouseMove={scrub}
      onMouseLeave={() => setTile(null)}
      data-testid="draft-player"
    >
      {/* biome-ignore lint/a11y/useMediaCaption: drafts have no caption track yet; previz burns dialogue captions into the picture */}
      <video
        controls
        playsInline
        preload="metadata"
        poster={draft.posterUrl}
        src={draft.videoUrl}
        data-testid="draft-video"
        aria-label={`Draft: ${props.label}`}
        onPlay={() => {
          setPlayed(true);
          setTile(null);
        }}
      />
      {sprite && tile !== null ? (
        <div
          className="rh-gen-scrub"
          aria-hidden="true"
          style={{
            backgroundImage: `url(${draft.spriteUrl})`,
            backgroundSize: `${sprite.columns * 100}% ${sprite.rows * 100}%`,
            backgroundPosition: `${sprite.columns > 1 ? ((tile % sprite.columns) / (sprite.columns - 1)) * 100 : 0}% ${
              sprite.rows > 1 ? (Math.floor(tile / sprite.columns) / (sprite.rows - 1)) * 100 : 0
            }%`,
          }}
        >
          <span>{formatSeconds(tile * sprite.intervalSeconds)}</span>
        </div>
      ) : null}
    </div>
  );
}

function formatSeconds(t: number): string {
  const s = Math.floor(t);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
