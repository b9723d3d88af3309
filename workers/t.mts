import { writeFileSync } from "node:fs";
import { PictureRenderer } from "./src/previz/picture.ts";
import { buildTimeline } from "./src/previz/timeline.ts";
import { understand, type Subject } from "./src/previz/understand.ts";
function shot(prompt: string, subjects: Partial<Subject>[], file: string) {
  const spec = understand(prompt as never);
  spec.subjects = subjects.map((s) => ({ kind: "object", label: s.noun!, count: 1, traits: [], color: null, facing: 1, motion: "still", ...s })) as Subject[];
  const tl = buildTimeline(spec, { durationSeconds: 3, fps: 24, seed: 1 });
  const r = new PictureRenderer({ spec, timeline: tl, width: 1280, height: 720, mouth: () => 0 });
  const c = r.draw(Math.floor(tl.frames / 2));
  writeFileSync(file, c.toBuffer("image/png"));
}
shot("a horse galloping across a field", [{ noun: "horse", art: "horse", motion: "gallop", place: { x: 0.5, y: 0.62, size: 0.35 } }], "/tmp/a.png");
shot("a red bicycle on the left of a black dog in a park", [{ noun: "bicycle", art: "bicycle", color: "red", place: { x: 0.3, y: 0.65, size: 0.3 } }, { noun: "dog", art: "dog", color: "black", facing: -1, place: { x: 0.7, y: 0.66, size: 0.25 }, relation: { kind: "right-of", to: 0 } }], "/tmp/b.png");
shot("three sheep and an airplane over the ocean at sunset", [{ noun: "airplane", art: "airplane", motion: "fly", place: { x: 0.5, y: 0.25, size: 0.2 } }, { noun: "sheep", art: "ewe", count: 3, place: { x: 0.5, y: 0.7, size: 0.22 } }, { noun: "plumbus", art: null, color: "pink", place: { x: 0.15, y: 0.7, size: 0.2 } }, { kind: "person", noun: "woman", art: null, color: "blue", place: { x: 0.85, y: 0.66, size: 0.4 } }], "/tmp/c.png");
