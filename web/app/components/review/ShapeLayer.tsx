import type { Shape, ShapeTool } from "@reelhouse/shared/collab/review-doc";
import { useEffect, useRef, useState } from "react";

/**
 * Drawings over the frame. Shapes are stored normalized (0..1 of the frame, stroke width as a
 * fraction of its width) and drawn here in pixels of the current player size, so they land on the
 * same spot at any size. With a tool, pointer drags make a new shape (`onShape`).
 */
export function ShapeLayer(p: {
  shapes: Shape[];
  tool: ShapeTool | null;
  color: string;
  onShape: (s: Shape) => void;
}) {
  const ref = useRef<SVGSVGElement>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const [draft, setDraft] = useState<Shape | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    setSize({ w: el.clientWidth, h: el.clientHeight });
    return () => ro.disconnect();
  }, []);
  const at = (e: React.PointerEvent): [number, number] => {
    const r = ref.current!.getBoundingClientRect();
    const c = (x: number) => Math.round(Math.max(0, Math.min(1, x)) * 10000) / 10000;
    return [c((e.clientX - r.left) / r.width), c((e.clientY - r.top) / r.height)];
  };
  return (
    <svg
      ref={ref}
      className={`review-shapes ${p.tool ? "drawing" : ""}`}
      data-testid="shapes"
      data-count={p.shapes.length}
      onPointerDown={(e) => {
        if (!p.tool) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        const pt = at(e);
        setDraft({ tool: p.tool, color: p.color, width: 0.006, points: [pt, pt] });
      }}
      onPointerMove={(e) => {
        if (!draft) return;
        const pt = at(e);
        setDraft(
          draft.tool === "pen"
            ? draft.points.length < 400
              ? { ...draft, points: [...draft.points, pt] }
              : draft
            : { ...draft, points: [draft.points[0]!, pt] },
        );
      }}
      onPointerUp={() => {
        if (!draft) return;
        const [a, b] = [draft.points[0]!, draft.points[draft.points.length - 1]!];
        if (Math.hypot(a[0] - b[0], a[1] - b[1]) > 0.005 || draft.points.length > 3)
          p.onShape(draft);
        setDraft(null);
      }}
    >
      <title>Drawings on this frame</title>
      {[...p.shapes, ...(draft ? [draft] : [])].map((s, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: shapes never move or change within a list
        <ShapeSvg key={i} s={s} w={size.w} h={size.h} />
      ))}
    </svg>
  );
}

function ShapeSvg({ s, w, h }: { s: Shape; w: number; h: number }) {
  const pts = s.points.map(([x, y]) => [x * w, y * h] as const);
  const sw = Math.max(1.5, s.width * w);
  const common = {
    stroke: s.color,
    strokeWidth: sw,
    fill: "none",
    strokeLinecap: "round" as const,
    strokeLinejoin: "round" as const,
  };
  const [a, b] = [pts[0]!, pts[pts.length - 1]!];
  if (s.tool === "rect")
    return (
      <rect
        data-tool="rect"
        x={Math.min(a[0], b[0])}
        y={Math.min(a[1], b[1])}
        width={Math.abs(a[0] - b[0])}
        height={Math.abs(a[1] - b[1])}
        {...common}
      />
    );
  if (s.tool === "pen")
    return <polyline data-tool="pen" points={pts.map((q) => q.join(",")).join(" ")} {...common} />;
  if (s.tool === "line")
    return <line data-tool="line" x1={a[0]} y1={a[1]} x2={b[0]} y2={b[1]} {...common} />;
  // Arrow: the shaft and a head at the second point.
  const ang = Math.atan2(b[1] - a[1], b[0] - a[0]);
  const head = Math.max(10, sw * 4);
  const l = [b[0] - head * Math.cos(ang - 0.45), b[1] - head * Math.sin(ang - 0.45)];
  const r = [b[0] - head * Math.cos(ang + 0.45), b[1] - head * Math.sin(ang + 0.45)];
  return (
    <g data-tool="arrow" data-x2={s.points[1]![0]} data-y2={s.points[1]![1]}>
      <line x1={a[0]} y1={a[1]} x2={b[0]} y2={b[1]} {...common} />
      <polyline points={`${l[0]},${l[1]} ${b[0]},${b[1]} ${r[0]},${r[1]}`} {...common} />
    </g>
  );
}
