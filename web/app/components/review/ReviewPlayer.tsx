import {
  addNote,
  notesAtFrame,
  type ReviewAuthor,
  type ReviewDocKind,
  replyToNote,
  SHAPE_COLORS,
  type Shape,
  type ShapeTool,
  setNoteResolved,
} from "@reelhouse/shared/collab/review-doc";
import { timecode } from "@reelhouse/shared/review/export";
import { useCallback, useEffect, useRef, useState } from "react";
import { useCsrfToken } from "../ui.tsx";
import { ShapeLayer } from "./ShapeLayer.tsx";
import { type DocNotes, useReviewDocs } from "./useReviewDocs.ts";
import "./review.css";

export type PlayerVersionProps = {
  draftId: string;
  label: string;
  durationMs: number;
  width: number;
  height: number;
  fps: number;
  sprite: {
    columns: number;
    rows: number;
    count: number;
    tileWidth: number;
    tileHeight: number;
    intervalSeconds: number;
  } | null;
};

export type ReviewPlayerProps = {
  version: PlayerVersionProps;
  compare: PlayerVersionProps | null;
  media: (draftId: string, file: "video.mp4" | "poster.jpg" | "sprite.jpg") => string;
  collab: { url: string; token: string; tokenPath: string; kinds: ReviewDocKind[] };
  me: ReviewAuthor;
  canWrite: boolean;
  /** POSTed { doc, messageId } after a comment is stored, for mentions and replies. */
  notifyPath: string;
  onRevoked?: () => void;
};

const TOOLS: { tool: ShapeTool; label: string; key: string }[] = [
  { tool: "arrow", label: "Arrow", key: "A" },
  { tool: "rect", label: "Rectangle", key: "R" },
  { tool: "line", label: "Line", key: "N" },
  { tool: "pen", label: "Freehand", key: "P" },
];

/**
 * The review player: frame-accurate scrubbing (timeline + filmstrip from the spritesheet), J/K/L,
 * ←/→ one frame, I/O for a range, markers for every note, drawing on the paused frame, the notes
 * panel with replies, resolve/reopen and team-only notes, and compare (side by side or wipe, in
 * sync). Notes live in the version's review documents (useReviewDocs), so they appear for everyone.
 */
export function ReviewPlayer(p: ReviewPlayerProps) {
  const v = p.version;
  const fps = v.fps;
  const totalFrames = Math.max(1, Math.round((v.durationMs / 1000) * fps));
  const video = useRef<HTMLVideoElement>(null);
  const other = useRef<HTMLVideoElement>(null);
  const [frame, setFrame] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [range, setRange] = useState<{ in: number | null; out: number | null }>({
    in: null,
    out: null,
  });
  const [tool, setTool] = useState<ShapeTool | null>(null);
  const [color, setColor] = useState(SHAPE_COLORS[0]!);
  const [pending, setPending] = useState<Shape[]>([]);
  const [body, setBody] = useState("");
  const [teamOnly, setTeamOnly] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [compareMode, setCompareMode] = useState<"side" | "wipe">("side");
  const [wipe, setWipe] = useState(0.5);
  const reverse = useRef<number | null>(null);
  const csrf = useCsrfToken();
  const { docs, notes, state } = useReviewDocs({
    url: p.collab.url,
    draftId: v.draftId,
    kinds: p.collab.kinds,
    token: p.collab.token,
    tokenPath: p.collab.tokenPath,
  });
  useEffect(() => {
    if (state === "revoked") p.onRevoked?.();
  }, [state, p.onRevoked]);

  const seekFrame = useCallback(
    (f: number) => {
      const el = video.current;
      const clamped = Math.max(0, Math.min(totalFrames - 1, Math.round(f)));
      setFrame(clamped);
      // The middle of the frame: never lands on the boundary of the previous one.
      if (el) el.currentTime = (clamped + 0.5) / fps;
      if (other.current) other.current.currentTime = (clamped + 0.5) / fps;
    },
    [fps, totalFrames],
  );

  const stopReverse = useCallback(() => {
    if (reverse.current !== null) window.clearInterval(reverse.current);
    reverse.current = null;
  }, []);

  const pause = useCallback(() => {
    stopReverse();
    video.current?.pause();
    other.current?.pause();
  }, [stopReverse]);

  // Keep the frame counter and the compared video in step with the main one.
  useEffect(() => {
    let raf = 0;
    const tick = () => {
      const el = video.current;
      if (el && !el.paused) {
        setFrame(Math.min(totalFrames - 1, Math.floor(el.currentTime * fps)));
        const o = other.current;
        if (o && Math.abs(o.currentTime - el.currentTime) > 1 / fps) o.currentTime = el.currentTime;
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [fps, totalFrames]);

  const play = useCallback(
    (rate: number) => {
      stopReverse();
      const el = video.current;
      if (!el) return;
      setTool(null);
      if (rate < 0) {
        el.pause();
        other.current?.pause();
        const step = Math.max(1, Math.round(-rate));
        reverse.current = window.setInterval(() => {
          const f = Math.floor(el.currentTime * fps) - step;
          if (f <= 0) stopReverse();
          seekFrame(Math.max(0, f));
        }, 1000 / fps);
        setPlaying(true);
        return;
      }
      el.playbackRate = rate;
      if (other.current) other.current.playbackRate = rate;
      void el.play();
      void other.current?.play();
    },
    [fps, seekFrame, stopReverse],
  );

  const speed = useRef(0);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
      const k = e.key.toLowerCase();
      if (k === "k" || k === " ") {
        e.preventDefault();
        if (k === " " && video.current?.paused && reverse.current === null) play(1);
        else pause();
        speed.current = 0;
      } else if (k === "l") {
        speed.current = speed.current > 0 ? Math.min(speed.current * 2, 8) : 1;
        play(speed.current);
      } else if (k === "j") {
        speed.current = speed.current < 0 ? Math.max(speed.current * 2, -8) : -1;
        play(speed.current);
      } else if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
        e.preventDefault();
        pause();
        const step = e.shiftKey ? fps : 1;
        seekFrame(frame + (e.key === "ArrowRight" ? step : -step));
      } else if (k === "i")
        setRange((r) => ({ in: frame, out: r.out !== null && r.out < frame ? null : r.out }));
      else if (k === "o")
        setRange((r) => ({ in: r.in !== null && r.in > frame ? null : r.in, out: frame }));
      else if (k === "x") setRange({ in: null, out: null });
      else if (p.canWrite) {
        const found = TOOLS.find((x) => x.key.toLowerCase() === k);
        if (found) {
          pause();
          setTool((cur) => (cur === found.tool ? null : found.tool));
        }
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [frame, fps, pause, play, seekFrame, p.canWrite]);

  const anchor =
    range.in !== null && range.out !== null
      ? { frame: range.in, endFrame: range.out }
      : range.in !== null
        ? { frame: range.in }
        : { frame };

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const kind: ReviewDocKind = teamOnly ? "team" : "shared";
    const doc = docs[kind];
    if (!doc) return;
    try {
      const id = addNote(doc, {
        anchor,
        shapes: pending,
        author: p.me,
        body: body.trim() || (pending.length ? "(drawing)" : ""),
      });
      const n = doc.getMap("notes").get(id) as { get(k: string): { toArray(): { id: string }[] } };
      const messageId = n.get("messages").toArray()[0]!.id;
      setBody("");
      setPending([]);
      setTool(null);
      setRange({ in: null, out: null });
      void notify(kind, messageId);
    } catch (err) {
      setError(err instanceof Error ? readable(err) : "Could not add the comment.");
    }
  };

  const notify = async (doc: ReviewDocKind, messageId: string) => {
    // The collab server stores a change as it acknowledges it; retry briefly until it has.
    for (let i = 0; i < 5; i++) {
      const r = await fetch(p.notifyPath, {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": csrf },
        body: JSON.stringify({ doc, messageId, draftId: v.draftId }),
      }).catch(() => null);
      if (r?.status !== 409) return;
      await new Promise((res) => setTimeout(res, 400 * (i + 1)));
    }
  };

  const onTimeline = (e: React.PointerEvent<HTMLDivElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const x = Math.max(0, Math.min(1, (e.clientX - rect.left) / rect.width));
    pause();
    seekFrame(x * (totalFrames - 1));
  };

  const here = notesAtFrame(notes, frame) as DocNotes[];
  const drawn = here.filter((n) => n.anchor.frame === frame).flatMap((n) => n.shapes);
  const aspect = `${v.width || 16} / ${v.height || 9}`;

  if (state === "revoked")
    return (
      <div className="review-revoked card" role="alert">
        <h2>This review is no longer available</h2>
        <p>The link was revoked or has expired. Ask the team for a new one.</p>
      </div>
    );

  return (
    <div className="review">
      <div className="review-stage-wrap">
        <div className={`review-stages ${p.compare ? `compare-${compareMode}` : ""}`}>
          <div className="review-stage" style={{ aspectRatio: aspect }} data-testid="stage">
            {/* biome-ignore lint/a11y/useMediaCaption: animatic drafts have no caption track */}
            <video
              ref={video}
              src={p.media(v.draftId, "video.mp4")}
              poster={p.media(v.draftId, "poster.jpg")}
              preload="auto"
              playsInline
              controlsList="nodownload"
              onPlay={() => setPlaying(true)}
              onPause={() => {
                setPlaying(reverse.current !== null);
                const el = video.current;
                if (el) setFrame(Math.min(totalFrames - 1, Math.floor(el.currentTime * fps)));
              }}
              onEnded={() => setPlaying(false)}
            />
            {p.compare && compareMode === "wipe" ? (
              <div className="review-wipe" style={{ clipPath: `inset(0 0 0 ${wipe * 100}%)` }}>
                <video
                  ref={other}
                  src={p.media(p.compare.draftId, "video.mp4")}
                  muted
                  preload="auto"
                  playsInline
                />
                <span className="review-wipe-label">{p.compare.label}</span>
              </div>
            ) : null}
            <ShapeLayer
              shapes={[...drawn, ...pending]}
              tool={p.canWrite && !playing ? tool : null}
              color={color}
              onShape={(s) => setPending((x) => [...x, s])}
            />
            <span className="review-tc" data-testid="timecode" data-frame={frame}>
              {timecode(frame, fps)} · frame {frame + 1}/{totalFrames}
            </span>
          </div>
          {p.compare && compareMode === "side" ? (
            <div className="review-stage" style={{ aspectRatio: aspect }}>
              <video
                ref={other}
                src={p.media(p.compare.draftId, "video.mp4")}
                poster={p.media(p.compare.draftId, "poster.jpg")}
                muted
                preload="auto"
                playsInline
              />
              <span className="review-tc">{p.compare.label}</span>
            </div>
          ) : null}
        </div>
        {p.compare ? (
          <div className="row small review-compare-bar">
            <span>
              Comparing <strong>{v.label}</strong> with <strong>{p.compare.label}</strong>
            </span>
            <button
              type="button"
              className={`btn btn-sm ${compareMode === "side" ? "btn-primary" : "btn-secondary"}`}
              onClick={() => setCompareMode("side")}
            >
              Side by side
            </button>
            <button
              type="button"
              className={`btn btn-sm ${compareMode === "wipe" ? "btn-primary" : "btn-secondary"}`}
              onClick={() => setCompareMode("wipe")}
            >
              Wipe
            </button>
            {compareMode === "wipe" ? (
              <input
                type="range"
                min={0}
                max={1}
                step={0.01}
                value={wipe}
                aria-label="Wipe position"
                onChange={(e) => setWipe(Number(e.target.value))}
              />
            ) : null}
          </div>
        ) : null}

        <div className="review-transport row">
          <button
            type="button"
            className="btn btn-sm btn-secondary"
            onClick={() => (playing ? pause() : play(1))}
            aria-label={playing ? "Pause" : "Play"}
          >
            {playing ? "❚❚" : "▶"}
          </button>
          <button
            type="button"
            className="btn btn-sm btn-secondary"
            onClick={() => {
              pause();
              seekFrame(frame - 1);
            }}
            aria-label="Previous frame"
          >
            ◀|
          </button>
          <button
            type="button"
            className="btn btn-sm btn-secondary"
            onClick={() => {
              pause();
              seekFrame(frame + 1);
            }}
            aria-label="Next frame"
          >
            |▶
          </button>
          <span className="muted small">
            J/K/L play · ←/→ frame · I/O range{p.canWrite ? " · A/R/N/P draw" : ""}
          </span>
          <span className={`review-live review-live-${state}`} data-testid="live-state">
            {state === "live"
              ? "Live"
              : state === "offline"
                ? "Offline — reconnecting"
                : "Connecting…"}
          </span>
        </div>

        <div
          className="review-timeline"
          data-testid="timeline"
          onPointerDown={(e) => {
            e.currentTarget.setPointerCapture(e.pointerId);
            onTimeline(e);
          }}
          onPointerMove={(e) => e.buttons === 1 && onTimeline(e)}
          role="slider"
          aria-label="Timeline"
          aria-valuemin={0}
          aria-valuemax={totalFrames - 1}
          aria-valuenow={frame}
          tabIndex={0}
        >
          {range.in !== null ? (
            <div
              className="review-range"
              style={{
                left: `${(range.in / totalFrames) * 100}%`,
                width: `${(((range.out ?? range.in) - range.in + 1) / totalFrames) * 100}%`,
              }}
            />
          ) : null}
          {notes.map((n) => (
            <button
              key={`${n.doc}:${n.id}`}
              type="button"
              className={`review-marker ${n.doc === "team" ? "team" : ""} ${n.resolved ? "resolved" : ""}`}
              style={{
                left: `${(n.anchor.frame / totalFrames) * 100}%`,
                width:
                  n.anchor.endFrame !== undefined
                    ? `${((n.anchor.endFrame - n.anchor.frame + 1) / totalFrames) * 100}%`
                    : undefined,
              }}
              title={`${timecode(n.anchor.frame, fps)} ${n.messages[0]?.author.name}: ${n.messages[0]?.body}`}
              onPointerDown={(e) => e.stopPropagation()}
              onClick={() => {
                pause();
                seekFrame(n.anchor.frame);
              }}
              data-testid="marker"
              data-frame={n.anchor.frame}
            />
          ))}
          <div className="review-playhead" style={{ left: `${(frame / totalFrames) * 100}%` }} />
        </div>
        {v.sprite ? (
          <Filmstrip
            sprite={v.sprite}
            src={p.media(v.draftId, "sprite.jpg")}
            fps={fps}
            onSeek={(f) => {
              pause();
              seekFrame(f);
            }}
          />
        ) : null}
      </div>

      <aside className="review-panel">
        {p.canWrite ? (
          <form className="review-compose stack" onSubmit={submit}>
            <div className="row small">
              <strong data-testid="compose-anchor">
                {anchor.endFrame !== undefined
                  ? `Range ${timecode(anchor.frame, fps)} – ${timecode(anchor.endFrame, fps)}`
                  : `At ${timecode(anchor.frame, fps)}`}
              </strong>
              {range.in !== null ? (
                <button
                  type="button"
                  className="btn-link"
                  onClick={() => setRange({ in: null, out: null })}
                >
                  clear range
                </button>
              ) : null}
            </div>
            <div className="review-tools row" role="toolbar" aria-label="Drawing tools">
              {TOOLS.map((t) => (
                <button
                  key={t.tool}
                  type="button"
                  className={`btn btn-sm ${tool === t.tool ? "btn-primary" : "btn-secondary"}`}
                  aria-pressed={tool === t.tool}
                  onClick={() => {
                    pause();
                    setTool(tool === t.tool ? null : t.tool);
                  }}
                  title={`${t.label} (${t.key})`}
                >
                  {t.label}
                </button>
              ))}
              {SHAPE_COLORS.map((c) => (
                <button
                  key={c}
                  type="button"
                  className={`review-swatch ${c === color ? "on" : ""}`}
                  style={{ background: c }}
                  aria-label={`Colour ${c}`}
                  aria-pressed={c === color}
                  onClick={() => setColor(c)}
                />
              ))}
              {pending.length ? (
                <button
                  type="button"
                  className="btn-link"
                  onClick={() => setPending((x) => x.slice(0, -1))}
                >
                  undo drawing ({pending.length})
                </button>
              ) : null}
            </div>
            <textarea
              name="body"
              rows={3}
              maxLength={4000}
              value={body}
              onChange={(e) => setBody(e.target.value)}
              placeholder="Comment on this frame — @mention a teammate"
              aria-label="Comment"
            />
            {p.collab.kinds.includes("team") ? (
              <label className="row small">
                <input
                  type="checkbox"
                  checked={teamOnly}
                  onChange={(e) => setTeamOnly(e.target.checked)}
                />{" "}
                Team only (guests never see it)
              </label>
            ) : null}
            {error ? (
              <p role="alert" className="alert alert-error">
                {error}
              </p>
            ) : null}
            <button
              type="submit"
              className="btn btn-primary"
              disabled={!body.trim() && pending.length === 0}
            >
              Comment
            </button>
          </form>
        ) : (
          <p className="muted small">You can watch and read comments on this version.</p>
        )}
        <NoteList
          notes={notes}
          fps={fps}
          frame={frame}
          me={p.me}
          canWrite={p.canWrite}
          onSeek={(f) => {
            pause();
            seekFrame(f);
          }}
          onReply={(n, text) => {
            const d = docs[n.doc];
            if (!d) return;
            const id = replyToNote(d, n.id, p.me, text);
            void notify(n.doc, id);
          }}
          onResolve={(n, r) => {
            const d = docs[n.doc];
            if (d) setNoteResolved(d, n.id, r, p.me.id);
          }}
        />
      </aside>
    </div>
  );
}

function readable(err: Error): string {
  try {
    const issues = JSON.parse(err.message) as { message: string }[];
    return issues[0]?.message ?? err.message;
  } catch {
    return err.message;
  }
}

function Filmstrip(p: {
  sprite: NonNullable<PlayerVersionProps["sprite"]>;
  src: string;
  fps: number;
  onSeek: (frame: number) => void;
}) {
  const s = p.sprite;
  const tiles = Array.from({ length: s.count }, (_, i) => i);
  return (
    <div className="review-filmstrip" data-testid="filmstrip">
      {tiles.map((i) => (
        <button
          key={i}
          type="button"
          className="review-tile"
          aria-label={`Go to ${timecode(Math.round(i * s.intervalSeconds * p.fps), p.fps)}`}
          onClick={() => p.onSeek(Math.round(i * s.intervalSeconds * p.fps))}
          style={{
            backgroundImage: `url(${p.src})`,
            backgroundSize: `${s.columns * 100}% ${s.rows * 100}%`,
            backgroundPosition: `${s.columns > 1 ? ((i % s.columns) / (s.columns - 1)) * 100 : 0}% ${s.rows > 1 ? (Math.floor(i / s.columns) / (s.rows - 1)) * 100 : 0}%`,
            aspectRatio: `${s.tileWidth} / ${s.tileHeight}`,
          }}
        />
      ))}
    </div>
  );
}

function NoteList(p: {
  notes: DocNotes[];
  fps: number;
  frame: number;
  me: ReviewAuthor;
  canWrite: boolean;
  onSeek: (f: number) => void;
  onReply: (n: DocNotes, text: string) => void;
  onResolve: (n: DocNotes, resolved: boolean) => void;
}) {
  const [showResolved, setShowResolved] = useState(true);
  const list = p.notes.filter((n) => showResolved || !n.resolved);
  if (p.notes.length === 0)
    return (
      <div className="review-empty">
        <p>
          <strong>No comments yet.</strong>
        </p>
        <p className="muted small">
          Pause on a frame, draw on it, and leave the first comment. Press I and O to comment on a
          range.
        </p>
      </div>
    );
  return (
    <div className="review-notes" data-testid="notes">
      <label className="row small">
        <input
          type="checkbox"
          checked={showResolved}
          onChange={(e) => setShowResolved(e.target.checked)}
        />{" "}
        Show resolved
      </label>
      {list.map((n) => (
        <NoteItem key={`${n.doc}:${n.id}`} n={n} {...p} />
      ))}
    </div>
  );
}

function NoteItem(p: {
  n: DocNotes;
  fps: number;
  frame: number;
  canWrite: boolean;
  onSeek: (f: number) => void;
  onReply: (n: DocNotes, text: string) => void;
  onResolve: (n: DocNotes, resolved: boolean) => void;
}) {
  const { n } = p;
  const [reply, setReply] = useState("");
  const active =
    n.anchor.endFrame === undefined
      ? p.frame === n.anchor.frame
      : p.frame >= n.anchor.frame && p.frame <= n.anchor.endFrame;
  return (
    <article
      className={`review-note ${active ? "active" : ""} ${n.resolved ? "resolved" : ""}`}
      data-testid="note"
      data-frame={n.anchor.frame}
    >
      <header className="row small">
        <button type="button" className="review-tc-link" onClick={() => p.onSeek(n.anchor.frame)}>
          {timecode(n.anchor.frame, p.fps)}
          {n.anchor.endFrame !== undefined ? ` – ${timecode(n.anchor.endFrame, p.fps)}` : ""}
        </button>
        {n.shapes.length ? <span className="review-badge">✎ {n.shapes.length}</span> : null}
        {n.doc === "team" ? <span className="review-badge team">Team only</span> : null}
        {n.resolved ? <span className="review-badge ok">Resolved</span> : null}
      </header>
      {n.messages.map((m, i) => (
        <div key={m.id} className={i ? "review-reply" : "review-msg"}>
          <strong>{m.author.name}</strong>
          {m.author.guest ? <span className="review-badge guest">Guest</span> : null}
          <span className="muted small"> {new Date(m.createdAt).toLocaleString()}</span>
          <p>{m.body}</p>
        </div>
      ))}
      {p.canWrite ? (
        <div className="row small">
          <form
            className="row review-reply-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (!reply.trim()) return;
              p.onReply(n, reply);
              setReply("");
            }}
          >
            <input
              value={reply}
              onChange={(e) => setReply(e.target.value)}
              placeholder="Reply…"
              aria-label="Reply"
              maxLength={4000}
            />
            <button type="submit" className="btn btn-sm btn-secondary" disabled={!reply.trim()}>
              Reply
            </button>
          </form>
          <button type="button" className="btn-link" onClick={() => p.onResolve(n, !n.resolved)}>
            {n.resolved ? "Reopen" : "Resolve"}
          </button>
        </div>
      ) : null}
    </article>
  );
}
