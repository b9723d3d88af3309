import { type Canvas, createCanvas } from "@napi-rs/canvas";
import type { Rng } from "../prng.ts";
import { hex, type RGB } from "./color.ts";
import type { Scene } from "./scene.ts";

/**
 * The look of a style: the grader every painted colour goes through, the screen-space finish
 * (vignette + grain), and the per-frame grade. The art styles themselves live in `styles/` (one treatment each).
 */

/**
 * Style grading applied to every colour the scene uses: the style treatment's `grade`
 * (`styles/`), cached per colour and alpha.
 */
export function grader(grade: (c: RGB) => RGB): (c: RGB | string, alpha?: number) => string {
  const cache = new Map<string, string>();
  return (c, alpha = 1) => {
    const rgb = typeof c === "string" ? hex(c) : c;
    const key = `${rgb.join(",")}|${alpha}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const [r, g, b] = grade(rgb);
    const clamp = (x: number) => Math.round(Math.min(255, Math.max(0, x)));
    const out =
      alpha >= 1
        ? `rgb(${clamp(r)},${clamp(g)},${clamp(b)})`
        : `rgba(${clamp(r)},${clamp(g)},${clamp(b)},${alpha})`;
    cache.set(key, out);
    return out;
  };
}

/**
 * The screen-space finish, pre-rendered: a vignette with film grain on top, as a few variants that
 * alternate per frame. One plain drawImage a frame instead of two full-frame blends.
 */
export function makeFinish(W: number, H: number, vignette: number, grain: number, r: Rng): Canvas {
  const c = createCanvas(W, H);
  const ctx = c.getContext("2d");
  const grad = ctx.createRadialGradient(
    W / 2,
    H / 2,
    Math.min(W, H) * 0.35,
    W / 2,
    H / 2,
    Math.hypot(W, H) * 0.6,
  );
  grad.addColorStop(0, "rgba(0,0,0,0)");
  grad.addColorStop(1, `rgba(0,0,0,${vignette})`);
  ctx.fillStyle = grad;
  ctx.fillRect(0, 0, W, H);
  if (grain > 0) {
    const img = ctx.getImageData(0, 0, W, H);
    const d = img.data;
    for (let i = 0; i < W * H; i++) {
      // A dark or light speck over the vignette pixel ("over" compositing, straight alpha).
      const n = r.next();
      const ga = grain * Math.abs(n - 0.5) * 2;
      const v = n < 0.5 ? 0 : 255;
      const a0 = d[i * 4 + 3]! / 255;
      const a = ga + a0 * (1 - ga);
      const c0 = d[i * 4]!;
      const mixed = a > 0 ? (v * ga + c0 * a0 * (1 - ga)) / a : 0;
      d[i * 4] = mixed;
      d[i * 4 + 1] = mixed;
      d[i * 4 + 2] = mixed;
      d[i * 4 + 3] = Math.round(a * 255);
    }
    ctx.putImageData(img, 0, 0);
  }
  return c;
}

// ------------------------------------------------------------------ the renderer

export function drawGrade(sc: Scene, frame: number) {
  const { ctx, world, P } = sc;
  if (P.spec.lighting.kind === "neon") {
    // Pulsing neon spill from both sides.
    ctx.globalCompositeOperation = "lighter";
    const sec = frame / sc.o.timeline.fps;
    const a = 0.1 + 0.04 * Math.sin(sec * 5) * Math.sin(sec * 1.7);
    const left = ctx.createLinearGradient(0, 0, world.W * 0.5, 0);
    left.addColorStop(0, `rgba(255,40,180,${a.toFixed(3)})`);
    left.addColorStop(1, "rgba(255,40,180,0)");
    ctx.fillStyle = left;
    ctx.fillRect(0, 0, world.W, world.H);
    const right = ctx.createLinearGradient(world.W, 0, world.W * 0.5, 0);
    right.addColorStop(0, `rgba(40,200,255,${a.toFixed(3)})`);
    right.addColorStop(1, "rgba(40,200,255,0)");
    ctx.fillStyle = right;
    ctx.fillRect(0, 0, world.W, world.H);
  }
  ctx.globalCompositeOperation = "source-over";
  ctx.drawImage(sc.finish[frame % sc.finish.length]!, 0, 0);
  if (sc.style.letterbox && world.W > world.H) {
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, world.W, world.H * 0.06);
    ctx.fillRect(0, world.H * 0.94, world.W, world.H * 0.06);
  }
}
