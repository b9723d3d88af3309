import type { Canvas } from "@napi-rs/canvas";
import { PictureRenderer } from "./picture.ts";
import { buildTimeline } from "./timeline.ts";
import type { ShotSpec } from "./understand.ts";

/**
 * One frame of a shot, without sound or encoding: what the contact sheet and the picture tests
 * look at. Speech is given no length (mouths closed), so a still costs the static layers plus
 * one frame. `at` is the fraction of the shot (0.5 = the middle frame).
 */
export function renderStill(
  spec: ShotSpec,
  o: { width: number; height: number; seed?: number; seconds?: number; at?: number },
): Canvas {
  const timeline = buildTimeline(spec, {
    durationSeconds: o.seconds ?? 4,
    fps: 30,
    seed: o.seed ?? 0,
    speechSeconds: spec.audio.dialogue.map(() => 1),
  });
  const picture = new PictureRenderer({
    spec,
    timeline,
    width: o.width,
    height: o.height,
    mouth: () => 0,
  });
  const frame = Math.min(timeline.frames - 1, Math.round((timeline.frames - 1) * (o.at ?? 0.5)));
  return picture.draw(frame);
}
