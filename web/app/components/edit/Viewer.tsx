import type { Edit } from "@reelhouse/shared/edit/schema";
import { isNeutralGrade } from "@reelhouse/shared/edit/schema";
import { speedAt } from "@reelhouse/shared/edit/speed";
import { useEffect, useMemo, useRef } from "react";
import {
  locate,
  type PlacedClip,
  previewColorMatrix,
  sequenceFrameOf,
  sequenceLength,
} from "./timeline";
import type { EditorSource } from "./types";

/**
 * The live preview: the source drafts' own videos (one element per draft, so a cut to another
 * draft does not wait for a load), showing the clip under the playhead at the exact source frame.
 * Playing follows the trims clip to clip, sets `playbackRate` from the speed keys, loops between
 * the loop points when the loop is on, and the grade is applied by an SVG colour matrix with the
 * render's own numbers (`previewColorMatrix`).
 */
export function Viewer(props: {
  edit: Edit;
  placed: PlacedClip[];
  sources: Record<string, EditorSource>;
  frame: number;
  playing: boolean;
  /** Sequence frames [start, end) to repeat while playing, or null. */
  loop: { start: number; end: number } | null;
  compare: boolean;
  onFrame: (f: number) => void;
  onStop: () => void;
}) {
  const { edit, placed, sources, frame, playing, loop } = props;
  const videos = useRef<Record<string, HTMLVideoElement | null>>({});
  const draftIds = useMemo(() => [...new Set(edit.clips.map((c) => c.draftId))], [edit.clips]);
  const fps = edit.fps;
  const length = sequenceLength(placed);
  const here = locate(placed, sources, fps, Math.min(frame, Math.max(0, length - 1)));
  const activeDraft = here?.clip.draftId ?? null;
  const matrix = useMemo(() => previewColorMatrix(edit.grade), [edit.grade]);
  const graded = !props.compare && !isNeutralGrade(edit.grade);
  const zoom =
    !props.compare && edit.stabilize.strength > 0
      ? 1 +
        (edit.stabilize.crop === "zoom" ? 0.04 + 0.08 * edit.stabilize.strength : 0) +
        edit.stabilize.zoomPercent / 100
      : 1;
  const live = useRef({
    placed,
    sources,
    fps,
    loop,
    length,
    keys: edit.speed,
    onFrame: props.onFrame,
    onStop: props.onStop,
    muted: edit.audio.mode === "mute",
  });
  live.current = {
    placed,
    sources,
    fps,
    loop,
    length,
    keys: edit.speed,
    onFrame: props.onFrame,
    onStop: props.onStop,
    muted: edit.audio.mode === "mute",
  };

  // Paused: show exactly the frame under the playhead (seek to the middle of the frame).
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the clip and frame shown, not the objects
  useEffect(() => {
    if (playing || !here) return;
    const v = videos.current[here.clip.draftId];
    const src = sources[here.clip.draftId];
    if (!v || !src) return;
    const t = (here.sourceFrame + 0.5) / src.fps;
    if (Math.abs(v.currentTime - t) > 0.25 / src.fps) v.currentTime = t;
  }, [playing, here?.clip.draftId, here?.sourceFrame, sources]);

  // Playing: follow the sequence clip to clip, frame by frame. Starts once per press of play; the
  // loop reads the latest timeline through `live`.
  // biome-ignore lint/correctness/useExhaustiveDependencies: restarting on every change would stutter
  useEffect(() => {
    if (!playing) return;
    let raf = 0;
    let stopped = false;
    let current: PlacedClip | null = null;
    const start = (seq: number) => {
      const L = live.current;
      const loc = locate(L.placed, L.sources, L.fps, seq);
      if (!loc) return;
      const src = L.sources[loc.clip.draftId];
      const v = videos.current[loc.clip.draftId];
      if (!v || !src) return;
      for (const [id, other] of Object.entries(videos.current))
        if (id !== loc.clip.draftId) other?.pause();
      current = loc.clip;
      v.currentTime = (loc.sourceFrame + 0.5) / src.fps;
      v.muted = L.muted;
      v.playbackRate = Math.min(4, Math.max(0.25, speedAt(L.keys, seq)));
      void v.play().catch(() => {
        // Autoplay refused (no gesture yet): stop cleanly rather than spin.
        if (!stopped) L.onStop();
      });
    };
    const tick = () => {
      if (stopped) return;
      const L = live.current;
      const c = current;
      const src = c ? L.sources[c.draftId] : undefined;
      const v = c ? videos.current[c.draftId] : undefined;
      if (c && src && v) {
        const sf = Math.floor(v.currentTime * src.fps + 1e-3);
        let seq = sequenceFrameOf(c, L.sources, L.fps, Math.min(sf, c.outFrame));
        if (L.loop && seq >= L.loop.end) {
          start(L.loop.start);
          seq = L.loop.start;
        } else if (sf >= c.outFrame || v.ended) {
          const next = L.placed[c.index + 1];
          if (next) {
            start(next.start);
            seq = next.start;
          } else if (L.loop) {
            start(L.loop.start);
            seq = L.loop.start;
          } else {
            v.pause();
            L.onFrame(Math.max(0, L.length - 1));
            L.onStop();
            return;
          }
        } else {
          v.playbackRate = Math.min(4, Math.max(0.25, speedAt(L.keys, seq)));
        }
        L.onFrame(Math.max(0, Math.min(L.length - 1, seq)));
      }
      raf = requestAnimationFrame(tick);
    };
    const from = frame >= length - 1 ? (loop?.start ?? 0) : frame;
    start(from);
    raf = requestAnimationFrame(tick);
    return () => {
      stopped = true;
      cancelAnimationFrame(raf);
      for (const v of Object.values(videos.current)) v?.pause();
    };
  }, [playing]);

  const first = sources[edit.clips[0]?.draftId ?? ""];
  const aspect = `${edit.width} / ${edit.height}`;
  return (
    <div className="rh-ed-viewer" data-testid="viewer">
      <svg width="0" height="0" aria-hidden="true" style={{ position: "absolute" }}>
        <filter id="rh-ed-grade" colorInterpolationFilters="sRGB">
          <feColorMatrix type="matrix" values={matrix.join(" ")} />
        </filter>
      </svg>
      <div className="rh-ed-screen" style={{ aspectRatio: aspect }}>
        {draftIds.map((id) => {
          const s = sources[id];
          if (!s) return null;
          return (
            <video
              key={id}
              ref={(el) => {
                videos.current[id] = el;
              }}
              src={s.videoUrl}
              poster={id === first?.draftId ? s.posterUrl : undefined}
              preload="auto"
              playsInline
              muted={edit.audio.mode === "mute"}
              className={id === activeDraft ? "is-active" : ""}
              data-testid={id === activeDraft ? "preview-video" : undefined}
              data-graded={graded ? "true" : "false"}
              style={{
                filter: graded ? "url(#rh-ed-grade)" : undefined,
                transform: zoom !== 1 ? `scale(${zoom.toFixed(3)})` : undefined,
              }}
            />
          );
        })}
        {props.compare ? <span className="rh-ed-badge">Original</span> : null}
        {edit.grade.lutMediaId && !props.compare ? (
          <span
            className="rh-ed-badge is-right"
            title="The LUT is applied by the render; the preview shows the rest of the grade"
          >
            LUT at render
          </span>
        ) : null}
      </div>
    </div>
  );
}
