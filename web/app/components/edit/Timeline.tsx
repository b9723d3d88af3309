import type { Edit } from "@reelhouse/shared/edit/schema";
import { useEffect, useMemo, useRef, useState } from "react";
import { type PlacedClip, placeClips, type Sources, sequenceLength, spriteTile } from "./timeline";
import type { EditorSource, Waveform } from "./types";
import type { EditPeer } from "./useEditSession";

const TRACK_H = 56;
const WAVE_H = 32;

type Drag =
  | { kind: "in" | "out"; clipId: string; x0: number; orig: number; value: number }
  | { kind: "move"; clipId: string; x0: number; dx: number; moved: boolean }
  | { kind: "scrub" };

/**
 * The timeline: a ruler to scrub (frame-accurate: one pointer position = one frame), the clips
 * with their filmstrip (tiles of the draft's spritesheet at the frames they show), trim handles on
 * both ends, drag to reorder, the transition between clips, the sound's waveform under each clip,
 * the loop range, my playhead and the other editors' playheads in their colours.
 */
export function Timeline(props: {
  edit: Edit;
  sources: Record<string, EditorSource>;
  waveforms: Record<string, Waveform | undefined>;
  frame: number;
  selected: string | null;
  loop: { start: number; end: number } | null;
  peers: EditPeer[];
  canEdit: boolean;
  onSeek: (f: number) => void;
  onSelect: (clipId: string) => void;
  onTrim: (clipId: string, t: { inFrame?: number; outFrame?: number }) => void;
  onMove: (clipId: string, index: number) => void;
  onTransition: (clipId: string) => void;
  /** 1 = the whole sequence fits the width; more = closer. */
  zoom: number;
}) {
  const { edit, sources, frame, zoom } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [drag, setDrag] = useState<Drag | null>(null);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  // While a trim handle is dragged, the timeline shows the trim before it is written.
  const shown = useMemo(() => {
    if (!drag || (drag.kind !== "in" && drag.kind !== "out")) return edit;
    return {
      ...edit,
      clips: edit.clips.map((c) =>
        c.id === drag.clipId
          ? { ...c, [drag.kind === "in" ? "inFrame" : "outFrame"]: drag.value }
          : c,
      ),
    };
  }, [edit, drag]);
  const placed = useMemo(() => placeClips(shown, sources as Sources), [shown, sources]);
  const total = Math.max(1, sequenceLength(placed));
  const ppf = Math.max(0.5, ((width - 24) / total) * zoom);
  const inner = Math.ceil(total * ppf) + 24;
  const fps = edit.fps;

  const frameAt = (clientX: number) => {
    const el = scroller.current!;
    const r = el.getBoundingClientRect();
    const x = clientX - r.left + el.scrollLeft - 12;
    return Math.max(0, Math.min(total - 1, Math.floor(x / ppf)));
  };

  // Keep the playhead in view while playing or stepping.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const x = frame * ppf + 12;
    if (x < el.scrollLeft + 20 || x > el.scrollLeft + el.clientWidth - 20)
      el.scrollLeft = Math.max(0, x - el.clientWidth / 3);
  }, [frame, ppf]);

  const onPointerMove = (e: React.PointerEvent) => {
    if (!drag) return;
    if (drag.kind === "scrub") return props.onSeek(frameAt(e.clientX));
    const c = edit.clips.find((x) => x.id === drag.clipId);
    const src = c ? sources[c.draftId] : undefined;
    if (!c || !src) return;
    const dxFrames = Math.round(((e.clientX - drag.x0) / ppf) * (src.fps / fps));
    if (drag.kind === "in") {
      setDrag({ ...drag, value: Math.max(0, Math.min(c.outFrame - 1, drag.orig + dxFrames)) });
    } else if (drag.kind === "out") {
      setDrag({
        ...drag,
        value: Math.max(c.inFrame + 1, Math.min(src.frames, drag.orig + dxFrames)),
      });
    } else if (drag.kind === "move") {
      const dx = e.clientX - drag.x0;
      setDrag({ ...drag, dx, moved: drag.moved || Math.abs(dx) > 6 });
    }
  };

  const onPointerUp = (e: React.PointerEvent) => {
    if (!drag) return;
    if (drag.kind === "in" || drag.kind === "out") {
      if (drag.value !== drag.orig)
        props.onTrim(drag.clipId, { [drag.kind === "in" ? "inFrame" : "outFrame"]: drag.value });
    } else if (drag.kind === "move" && drag.moved) {
      const me = placed.find((p) => p.id === drag.clipId)!;
      const center = me.start + me.length / 2 + drag.dx / ppf;
      const others = placed.filter((p) => p.id !== drag.clipId);
      const index = others.filter((p) => p.start + p.length / 2 < center).length;
      if (index !== me.index) props.onMove(drag.clipId, index);
    } else if (drag.kind === "move") {
      props.onSeek(frameAt(e.clientX));
    }
    setDrag(null);
  };

  const ticks = useMemo(() => {
    const secs = total / fps;
    const step = [0.5, 1, 2, 5, 10, 30, 60].find((s) => s * fps * ppf >= 56) ?? 60;
    const frames: number[] = [];
    for (let t = 0; t <= secs + 1e-9; t += step) frames.push(Math.round(t * fps));
    return Object.assign(frames, { step });
  }, [total, fps, ppf]);

  return (
    <div className="rh-tl" data-testid="timeline">
      <div
        className="rh-tl-scroll"
        ref={scroller}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => setDrag(null)}
      >
        <div className="rh-tl-inner" style={{ width: inner }}>
          <div
            className="rh-tl-ruler"
            data-testid="ruler"
            onPointerDown={(e) => {
              scroller.current?.setPointerCapture(e.pointerId);
              setDrag({ kind: "scrub" });
              props.onSeek(frameAt(e.clientX));
            }}
          >
            {ticks.map((f) => (
              <span key={f} className="rh-tl-tick" style={{ left: 12 + f * ppf }}>
                {tickLabel(f / fps, ticks.step)}
              </span>
            ))}
            {props.loop ? (
              <span
                className="rh-tl-loop"
                title="Loop"
                style={{
                  left: 12 + props.loop.start * ppf,
                  width: (props.loop.end - props.loop.start) * ppf,
                }}
              />
            ) : null}
          </div>
          <div className="rh-tl-track" style={{ height: TRACK_H }}>
            {placed.map((p) => (
              <ClipView
                key={p.id}
                clip={p}
                source={sources[p.draftId]}
                fps={fps}
                ppf={ppf}
                selected={props.selected === p.id}
                peers={props.peers.filter((x) => !x.self && x.clipId === p.id)}
                dx={drag?.kind === "move" && drag.clipId === p.id && drag.moved ? drag.dx : 0}
                canEdit={props.canEdit}
                onDown={(kind, e) => {
                  e.stopPropagation();
                  (e.currentTarget.closest(".rh-tl-scroll") as HTMLElement).setPointerCapture(
                    e.pointerId,
                  );
                  props.onSelect(p.id);
                  if (!props.canEdit) return setDrag({ kind: "scrub" });
                  if (kind === "move")
                    setDrag({ kind, clipId: p.id, x0: e.clientX, dx: 0, moved: false });
                  else {
                    const orig = kind === "in" ? p.inFrame : p.outFrame;
                    setDrag({ kind, clipId: p.id, x0: e.clientX, orig, value: orig });
                  }
                }}
                onTransition={() => props.onTransition(p.id)}
              />
            ))}
          </div>
          <div className="rh-tl-audio" style={{ height: WAVE_H }} data-testid="waveform">
            {placed.map((p) => (
              <WaveView
                key={p.id}
                clip={p}
                source={sources[p.draftId]}
                wave={props.waveforms[p.draftId]}
                fps={fps}
                ppf={ppf}
                muted={edit.audio.mode === "mute"}
              />
            ))}
          </div>
          {props.peers
            .filter((x) => !x.self && x.frame !== null)
            .map((x) => (
              <span
                key={x.clientId}
                className="rh-tl-peerhead"
                style={{ left: 12 + (x.frame ?? 0) * ppf, background: x.color }}
                title={`${x.name} is here`}
              />
            ))}
          <span
            className="rh-tl-playhead"
            style={{ left: 12 + frame * ppf }}
            data-testid="playhead"
            data-frame={frame}
          >
            <span className="rh-tl-playhead-knob" />
          </span>
        </div>
      </div>
    </div>
  );
}

function ClipView(props: {
  clip: PlacedClip;
  source: EditorSource | undefined;
  fps: number;
  ppf: number;
  selected: boolean;
  peers: EditPeer[];
  dx: number;
  canEdit: boolean;
  onDown: (kind: "in" | "out" | "move", e: React.PointerEvent<HTMLElement>) => void;
  onTransition: () => void;
}) {
  const { clip, source, ppf, fps } = props;
  const w = clip.length * ppf;
  const sprite = source?.sprite ?? null;
  const thumbH = TRACK_H - 4;
  const thumbW = sprite ? Math.max(16, (thumbH * sprite.tileWidth) / sprite.tileHeight) : 32;
  const count = Math.min(200, Math.ceil(w / thumbW));
  const srcFps = source?.fps ?? fps;
  const seconds = (clip.length / fps).toFixed(1);
  const t = clip.transition;
  return (
    <>
      {/* biome-ignore lint/a11y/useSemanticElements: a draggable clip; selection shows in the inspector */}
      <div
        className={`rh-tl-clip${props.selected ? " is-selected" : ""}${props.dx ? " is-dragging" : ""}`}
        style={{
          left: 12 + clip.start * ppf + props.dx,
          width: Math.max(2, w),
          borderColor: props.peers[0]?.color,
        }}
        data-testid="clip"
        data-clip-id={clip.id}
        data-in={clip.inFrame}
        data-out={clip.outFrame}
        role="button"
        tabIndex={-1}
        aria-pressed={props.selected}
        aria-label={`Clip ${clip.index + 1}: frames ${clip.inFrame}–${clip.outFrame - 1}, ${seconds} s`}
        onPointerDown={(e) => props.onDown("move", e)}
      >
        <div className="rh-tl-strip" aria-hidden="true">
          {sprite && source
            ? Array.from({ length: count }, (_, k) => {
                const sourceFrame = clip.inFrame + ((k * thumbW) / ppf) * (srcFps / fps);
                const tile = spriteTile(sprite, sourceFrame / srcFps);
                return (
                  <span
                    // biome-ignore lint/suspicious/noArrayIndexKey: thumbs are positional
                    key={k}
                    className="rh-tl-thumb"
                    style={{
                      width: thumbW,
                      backgroundImage: `url(${source.spriteUrl})`,
                      backgroundSize: `${sprite.columns * thumbW}px ${sprite.rows * thumbH}px`,
                      backgroundPosition: `-${tile.column * thumbW}px -${tile.row * thumbH}px`,
                    }}
                  />
                );
              })
            : null}
        </div>
        <span className="rh-tl-label">
          {clip.index + 1} · {seconds}s
        </span>
        {props.peers.map((p) => (
          <span
            key={p.clientId}
            className="rh-tl-clip-peer"
            style={{ background: p.color }}
            title={`${p.name} selected this clip`}
          >
            {p.initials}
          </span>
        ))}
        {props.canEdit ? (
          <>
            <span
              className="rh-tl-handle is-in"
              data-testid="trim-in"
              aria-hidden="true"
              onPointerDown={(e) => props.onDown("in", e)}
            />
            <span
              className="rh-tl-handle is-out"
              data-testid="trim-out"
              aria-hidden="true"
              onPointerDown={(e) => props.onDown("out", e)}
            />
          </>
        ) : null}
      </div>
      {clip.index > 0 ? (
        <button
          type="button"
          className={`rh-tl-trans${t.kind !== "cut" ? " is-on" : ""}`}
          style={{ left: 12 + clip.start * ppf + clip.overlap * ppf * 0.5 }}
          title={t.kind === "cut" ? "Cut — add a transition" : `${t.kind}, ${t.frames} frames`}
          aria-label={`Transition into clip ${clip.index + 1}: ${t.kind === "cut" ? "cut" : `${t.kind}, ${t.frames} frames`}`}
          onPointerDown={(e) => e.stopPropagation()}
          onClick={props.onTransition}
        >
          {t.kind === "cut" ? "|" : "⋈"}
        </button>
      ) : null}
    </>
  );
}

function WaveView(props: {
  clip: PlacedClip;
  source: EditorSource | undefined;
  wave: Waveform | undefined;
  fps: number;
  ppf: number;
  muted: boolean;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { clip, wave, ppf, fps, source } = props;
  const w = Math.max(2, Math.min(8000, Math.round(clip.length * ppf)));
  useEffect(() => {
    const c = ref.current;
    const g = c?.getContext("2d");
    if (!c || !g) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(w * dpr);
    c.height = Math.round(WAVE_H * dpr);
    g.scale(dpr, dpr);
    g.clearRect(0, 0, w, WAVE_H);
    if (!wave || wave.peaks.length === 0) return;
    const srcFps = source?.fps ?? fps;
    g.fillStyle = props.muted ? "rgba(148,163,184,0.45)" : "rgba(94,234,212,0.85)";
    const mid = WAVE_H / 2;
    // Quiet sound is drawn larger (up to 4×) so its shape shows, as editors do.
    const loudest = wave.peaks.reduce((m, v) => Math.max(m, v), 0);
    const gain = loudest > 0 ? Math.min(4, 0.95 / loudest) : 1;
    for (let x = 0; x < w; x++) {
      const f0 = clip.inFrame + (x / ppf) * (srcFps / fps);
      const f1 = clip.inFrame + ((x + 1) / ppf) * (srcFps / fps);
      const a = Math.floor((f0 / srcFps) * wave.perSecond);
      const b = Math.max(a + 1, Math.ceil((f1 / srcFps) * wave.perSecond));
      let peak = 0;
      for (let i = a; i < b && i < wave.peaks.length; i++) peak = Math.max(peak, wave.peaks[i]!);
      const h = Math.max(1, Math.min(1, peak * gain) * (WAVE_H - 4));
      g.fillRect(x, mid - h / 2, 1, h);
    }
  }, [w, wave, clip.inFrame, ppf, fps, source?.fps, props.muted]);
  return (
    <canvas
      ref={ref}
      className="rh-tl-wave"
      style={{ left: 12 + clip.start * ppf, width: w, height: WAVE_H }}
      data-peaks={wave ? wave.peaks.length : 0}
    />
  );
}

/** A ruler label: seconds with a decimal below one-second steps, else m:ss. */
function tickLabel(t: number, step: number): string {
  if (step < 1) return `${t.toFixed(1)}s`;
  const s = Math.round(t);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
