import {
  addShot,
  deleteShot,
  duplicateShot,
  listShots,
  moveShot,
  type Shot,
  shotsMap,
  TRANSITIONS,
  type TxOrigin,
  updateShot,
} from "@reelhouse/shared/collab/schema";
import { MAX_CLIP_SECONDS, MIN_CLIP_SECONDS } from "@reelhouse/shared/generation/request";
import { type DragEvent, type KeyboardEvent, useEffect, useMemo, useRef, useState } from "react";
import * as Y from "yjs";
import type { PresenceState } from "../../lib/collab.client";
import { useY } from "./hooks";

export interface StoryboardProps {
  doc: Y.Doc | undefined;
  canEdit: boolean;
  origin: TxOrigin;
  presence: PresenceState[];
  /** Poster URL of the shot's latest render, if it has one. */
  posterUrl?: (shot: Shot) => string | null;
  focusedShotId: string | null;
  onFocusShot: (shotId: string | null) => void;
  /** Comment counts by shot id, and a way to open a thread on a shot. */
  commentCounts?: Record<string, number>;
  onComment?: (shotId: string) => void;
  /** Extra header controls (Render sequence) and per-card extras (Generate shot, its progress). */
  toolbar?: React.ReactNode;
  shotExtra?: (shot: Shot, index: number) => React.ReactNode;
  /** The durations the chosen backend makes (its capabilities); a shot's field offers only these. */
  durations?: { values: readonly number[]; label: string };
}

/** A speech-bubble icon (inline SVG: emoji fonts are not everywhere). */
export function CommentIcon() {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      width="15"
      height="15"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinejoin="round"
    >
      <path d="M4 5h16v11H9l-5 4z" />
    </svg>
  );
}

export function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m}:${String(s).padStart(2, "0")}` : `${s}s`;
}

/**
 * The storyboard: ordered shot cards. Order lives in per-shot fractional keys (schema.ts), so two
 * people reordering at once never duplicate or drop a shot. Reorder by drag and drop or with
 * Alt+↑/Alt+↓ on a focused card; ↑/↓ move focus.
 */
export function Storyboard(props: StoryboardProps) {
  const { doc, canEdit, origin } = props;
  const shots = useY(doc, "shots", listShots, [] as Shot[]);
  // Undo/redo of your own storyboard changes only (the transaction origin is yours), like the
  // prompt editor: a collaborator's concurrent edits are never undone.
  const undo = useMemo(
    () =>
      doc && canEdit
        ? new Y.UndoManager(shotsMap(doc), {
            trackedOrigins: new Set([origin]),
            captureTimeout: 400,
          })
        : null,
    [doc, origin, canEdit],
  );
  const [stacks, setStacks] = useState({ undo: 0, redo: 0 });
  // Adding, duplicating, deleting and moving a shot are each their own undo step (typing into a
  // field still merges into one step per pause).
  const step =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      undo?.stopCapturing();
      const r = fn(...args);
      undo?.stopCapturing();
      return r;
    };
  useEffect(() => {
    if (!undo) return;
    const update = () => setStacks({ undo: undo.undoStack.length, redo: undo.redoStack.length });
    undo.on("stack-item-added", update);
    undo.on("stack-item-popped", update);
    undo.on("stack-cleared", update);
    return () => undo.destroy();
  }, [undo]);
  const total = shots.reduce((s, x) => s + x.durationSeconds, 0);
  const [dragId, setDragId] = useState<string | null>(null);
  const [dropIndex, setDropIndex] = useState<number | null>(null);
  const [announce, setAnnounce] = useState("");
  const listRef = useRef<HTMLOListElement>(null);
  const pendingFocus = useRef<string | null>(null);

  // After a keyboard move or add, keep focus on the moved card.
  useEffect(() => {
    const id = pendingFocus.current;
    if (!id) return;
    const el = listRef.current?.querySelector<HTMLElement>(`[data-shot-id="${id}"]`);
    if (el) {
      el.focus();
      pendingFocus.current = null;
    }
  });

  if (!doc) return null;

  const move = (id: string, to: number) => {
    if (!canEdit) return;
    const from = shots.findIndex((s) => s.id === id);
    if (from < 0 || to < 0 || to >= shots.length || to === from) return;
    step(moveShot)(doc, id, to, origin);
    pendingFocus.current = id;
    setAnnounce(`Shot moved to position ${to + 1} of ${shots.length}.`);
  };

  const onCardKey = (e: KeyboardEvent<HTMLElement>, shot: Shot, index: number) => {
    if (e.target !== e.currentTarget) return; // typing inside a field
    if ((e.ctrlKey || e.metaKey) && e.code === "KeyZ" && undo) {
      e.preventDefault();
      if (e.shiftKey) undo.redo();
      else undo.undo();
      setAnnounce(e.shiftKey ? "Redone." : "Undone.");
      return;
    }
    if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
      e.preventDefault();
      move(shot.id, index + (e.key === "ArrowUp" ? -1 : 1));
    } else if (!e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
      e.preventDefault();
      const next = shots[index + (e.key === "ArrowUp" ? -1 : 1)];
      if (next) listRef.current?.querySelector<HTMLElement>(`[data-shot-id="${next.id}"]`)?.focus();
    } else if (canEdit && e.altKey && (e.key === "d" || e.key === "D" || e.code === "KeyD")) {
      e.preventDefault();
      pendingFocus.current = step(duplicateShot)(doc, shot.id, origin);
    } else if (canEdit && (e.key === "Delete" || e.key === "Backspace")) {
      e.preventDefault();
      if (window.confirm(`Delete shot ${index + 1}?`)) step(deleteShot)(doc, shot.id, origin);
    }
  };

  const onDragStart = (e: DragEvent, id: string) => {
    setDragId(id);
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", id);
  };
  const onDragOver = (e: DragEvent, index: number) => {
    if (!dragId) return;
    e.preventDefault();
    const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const after = e.clientY > rect.top + rect.height / 2;
    setDropIndex(after ? index + 1 : index);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const id = dragId ?? e.dataTransfer.getData("text/plain");
    const from = shots.findIndex((s) => s.id === id);
    if (id && from >= 0 && dropIndex !== null) {
      // dropIndex counts slots in the list including the dragged card; convert to "after the move".
      const to = dropIndex > from ? dropIndex - 1 : dropIndex;
      move(id, to);
    }
    setDragId(null);
    setDropIndex(null);
  };

  const viewers = (shotId: string) => props.presence.filter((p) => !p.self && p.shotId === shotId);

  return (
    <section className="rh-storyboard" aria-labelledby="storyboard-title">
      <header className="rh-section-head">
        <h2 id="storyboard-title">Storyboard</h2>
        <span className="rh-muted" data-testid="storyboard-total">
          {shots.length} {shots.length === 1 ? "shot" : "shots"} · {formatDuration(total)} total
        </span>
        {props.toolbar}
        {canEdit && (
          <span className="rh-row">
            <button
              type="button"
              className="rh-btn rh-btn-ghost rh-btn-sm"
              disabled={stacks.undo === 0}
              onClick={() => undo?.undo()}
              title="Undo your last storyboard change (Ctrl+Z on a shot)"
            >
              Undo
            </button>
            <button
              type="button"
              className="rh-btn rh-btn-ghost rh-btn-sm"
              disabled={stacks.redo === 0}
              onClick={() => undo?.redo()}
              title="Redo (Ctrl+Shift+Z on a shot)"
            >
              Redo
            </button>
            <button
              type="button"
              className="rh-btn rh-btn-primary rh-btn-sm"
              data-action="add-shot"
              onClick={() => {
                pendingFocus.current = step(addShot)(doc, {}, origin);
              }}
            >
              + Add shot
            </button>
          </span>
        )}
      </header>
      <p className="rh-sr-only" aria-live="polite">
        {announce}
      </p>
      {shots.length === 0 ? (
        <div className="rh-empty">
          <p className="rh-empty-title">No shots yet</p>
          <p className="rh-muted">
            A storyboard is a sequence of short shots ({MIN_CLIP_SECONDS}–{MAX_CLIP_SECONDS} s
            each). Add your first shot and describe it like a director: framing, motion, light and
            sound.
          </p>
          {canEdit && (
            <button
              type="button"
              className="rh-btn rh-btn-primary"
              onClick={() => {
                pendingFocus.current = step(addShot)(doc, {}, origin);
              }}
            >
              Add the first shot
            </button>
          )}
        </div>
      ) : (
        <ol
          className="rh-shots"
          ref={listRef}
          onDrop={onDrop}
          onDragOver={(e) => dragId && e.preventDefault()}
          onDragLeave={(e) => {
            if (!e.currentTarget.contains(e.relatedTarget as Node)) setDropIndex(null);
          }}
        >
          {shots.map((shot, i) => (
            <ShotCard
              key={shot.id}
              shot={shot}
              index={i}
              count={shots.length}
              doc={doc}
              origin={origin}
              canEdit={canEdit}
              focused={props.focusedShotId === shot.id}
              dragging={dragId === shot.id}
              dropBefore={dropIndex === i && dragId !== null}
              dropAfter={dropIndex === shots.length && i === shots.length - 1 && dragId !== null}
              viewers={viewers(shot.id)}
              poster={props.posterUrl?.(shot) ?? null}
              comments={props.commentCounts?.[shot.id] ?? 0}
              onComment={props.onComment}
              extra={props.shotExtra?.(shot, i)}
              durations={props.durations}
              onKeyDown={(e) => onCardKey(e, shot, i)}
              onFocus={() => props.onFocusShot(shot.id)}
              onDragStart={(e) => onDragStart(e, shot.id)}
              onDragOver={(e) => onDragOver(e, i)}
              onDragEnd={() => {
                setDragId(null);
                setDropIndex(null);
              }}
              onMove={(to) => move(shot.id, to)}
              onDuplicate={() => {
                pendingFocus.current = step(duplicateShot)(doc, shot.id, origin);
              }}
              onDelete={() => {
                if (window.confirm(`Delete shot ${i + 1}?`)) step(deleteShot)(doc, shot.id, origin);
              }}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

interface ShotCardProps {
  shot: Shot;
  index: number;
  count: number;
  doc: Y.Doc;
  origin: TxOrigin;
  canEdit: boolean;
  focused: boolean;
  dragging: boolean;
  dropBefore: boolean;
  dropAfter: boolean;
  viewers: PresenceState[];
  poster: string | null;
  comments: number;
  onComment?: (shotId: string) => void;
  extra?: React.ReactNode;
  durations?: StoryboardProps["durations"];
  onKeyDown: (e: KeyboardEvent<HTMLElement>) => void;
  onFocus: () => void;
  onDragStart: (e: DragEvent) => void;
  onDragOver: (e: DragEvent) => void;
  onDragEnd: () => void;
  onMove: (to: number) => void;
  onDuplicate: () => void;
  onDelete: () => void;
}

function ShotCard(p: ShotCardProps) {
  const { shot, doc, origin, canEdit } = p;
  const set = (fields: Parameters<typeof updateShot>[2]) => {
    if (canEdit) updateShot(doc, shot.id, fields, origin);
  };
  const cls = [
    "rh-shot",
    p.focused && "is-focused",
    p.dragging && "is-dragging",
    p.dropBefore && "drop-before",
    p.dropAfter && "drop-after",
  ]
    .filter(Boolean)
    .join(" ");
  return (
    <li
      className={cls}
      data-shot-id={shot.id}
      data-testid="shot"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: shot cards are keyboard-reorderable items
      tabIndex={0}
      aria-label={`Shot ${p.index + 1} of ${p.count}, ${shot.durationSeconds} seconds`}
      onKeyDown={p.onKeyDown}
      onFocus={p.onFocus}
      onDragOver={p.onDragOver}
    >
      <div className="rh-shot-media">
        {p.poster ? (
          <img src={p.poster} alt={`Latest render of shot ${p.index + 1}`} loading="lazy" />
        ) : (
          <div className="rh-shot-placeholder" aria-hidden="true">
            <span className="rh-shot-number">{String(p.index + 1).padStart(2, "0")}</span>
            <span className="rh-shot-ph-label">Not rendered yet</span>
          </div>
        )}
        <span className="rh-shot-duration">{shot.durationSeconds}s</span>
        {p.viewers.length > 0 && (
          <span className="rh-shot-viewers">
            {p.viewers.map((v) => (
              <span
                key={v.clientId}
                className="rh-avatar rh-avatar-xs"
                style={{ background: v.user.color }}
                title={`${v.user.name} is looking at this shot`}
              >
                {v.user.initials}
              </span>
            ))}
          </span>
        )}
      </div>
      <div className="rh-shot-body">
        <div className="rh-shot-top">
          {canEdit && (
            <span
              className="rh-drag-handle"
              draggable
              onDragStart={p.onDragStart}
              onDragEnd={p.onDragEnd}
              title="Drag to reorder (or focus the card and press Alt+↑ / Alt+↓)"
              aria-hidden="true"
            >
              ⋮⋮
            </span>
          )}
          <strong className="rh-shot-title">Shot {p.index + 1}</strong>
          <span className="rh-shot-actions">
            {p.onComment && (
              <button
                type="button"
                className="rh-btn rh-btn-ghost rh-btn-xs"
                onClick={() => p.onComment?.(shot.id)}
                title="Comment on this shot"
              >
                <CommentIcon /> {p.comments > 0 ? p.comments : ""}
              </button>
            )}
            {canEdit && (
              <>
                <button
                  type="button"
                  className="rh-btn rh-btn-ghost rh-btn-xs"
                  onClick={() => p.onMove(p.index - 1)}
                  disabled={p.index === 0}
                  aria-label={`Move shot ${p.index + 1} up`}
                  title="Move up (Alt+↑)"
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="rh-btn rh-btn-ghost rh-btn-xs"
                  onClick={() => p.onMove(p.index + 1)}
                  disabled={p.index === p.count - 1}
                  aria-label={`Move shot ${p.index + 1} down`}
                  title="Move down (Alt+↓)"
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="rh-btn rh-btn-ghost rh-btn-xs"
                  onClick={p.onDuplicate}
                  title="Duplicate (Alt+D)"
                >
                  Duplicate
                </button>
                <button
                  type="button"
                  className="rh-btn rh-btn-ghost rh-btn-xs rh-danger"
                  onClick={p.onDelete}
                  title="Delete (Delete key)"
                >
                  Delete
                </button>
              </>
            )}
          </span>
        </div>
        {p.extra}
        <label className="rh-field">
          <span>Prompt</span>
          <textarea
            rows={2}
            value={shot.prompt}
            readOnly={!canEdit}
            maxLength={4000}
            placeholder={canEdit ? "What happens in this shot?" : "No prompt yet"}
            onChange={(e) => set({ prompt: e.target.value })}
          />
        </label>
        <div className="rh-shot-grid">
          <ShotDurationField
            value={shot.durationSeconds}
            canEdit={canEdit}
            durations={p.durations}
            onChange={(n) => set({ durationSeconds: n })}
          />
          <label className="rh-field">
            <span>Camera</span>
            <input
              value={shot.camera}
              readOnly={!canEdit}
              maxLength={200}
              placeholder={canEdit ? "e.g. slow dolly in" : ""}
              onChange={(e) => set({ camera: e.target.value })}
            />
          </label>
          <label className="rh-field">
            <span>Transition</span>
            <select
              value={shot.transition}
              disabled={!canEdit}
              onChange={(e) => set({ transition: e.target.value as Shot["transition"] })}
            >
              {TRANSITIONS.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label className="rh-field">
          <span>Notes</span>
          <textarea
            rows={1}
            value={shot.notes}
            readOnly={!canEdit}
            maxLength={4000}
            placeholder={canEdit ? "Notes for the team" : ""}
            onChange={(e) => set({ notes: e.target.value })}
          />
        </label>
      </div>
    </li>
  );
}

/**
 * A shot's length: whole seconds within what a render accepts (MIN_CLIP_SECONDS to
 * MAX_CLIP_SECONDS), the same bounds the hint states; anything else is not written. With the
 * chosen backend's durations: a range when they are contiguous, else a choice of exactly those
 * (a shot already at another length shows it, marked "n/a" with the reason as its title, until it
 * is changed; the card says why in full).
 */
export function ShotDurationField(p: {
  value: number;
  canEdit: boolean;
  durations?: { values: readonly number[]; label: string };
  onChange: (seconds: number) => void;
}) {
  const values = p.durations ? [...p.durations.values].sort((a, b) => a - b) : [];
  // As the generate form: a range only for three or more contiguous lengths, else a choice.
  const range = values.length > 2 && values.every((d, i) => i === 0 || d === values[i - 1]! + 1);
  if (p.durations && values.length > 0 && !range)
    return (
      <label className="rh-field">
        <span>Duration (s)</span>
        <select
          value={p.value}
          disabled={!p.canEdit}
          aria-invalid={values.includes(p.value) ? undefined : true}
          title={
            values.includes(p.value)
              ? undefined
              : `${p.durations.label} does not make ${p.value} s clips`
          }
          onChange={(e) => p.onChange(Number(e.target.value))}
        >
          {values.includes(p.value) ? null : <option value={p.value}>{p.value} (n/a)</option>}
          {values.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </label>
    );
  const min = values[0] ?? MIN_CLIP_SECONDS;
  const max = values.at(-1) ?? MAX_CLIP_SECONDS;
  return (
    <label className="rh-field">
      <span>Duration (s)</span>
      <input
        type="number"
        min={min}
        max={max}
        step={1}
        value={p.value}
        readOnly={!p.canEdit}
        aria-invalid={p.value < min || p.value > max ? true : undefined}
        onChange={(e) => {
          const n = Number(e.target.value);
          if (Number.isInteger(n) && n >= min && n <= max) p.onChange(n);
        }}
      />
    </label>
  );
}
