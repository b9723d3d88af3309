import { describe, expect, test } from "vitest";
import { buildTimeline } from "../timeline.ts";
import { type ShotSpec, type Subject, understand } from "../understand.ts";
import type { PlannedSubject } from "./cast.ts";
import { PictureRenderer } from "./renderer.ts";

const W = 640;
const H = 360;

function spec(subjects: Partial<PlannedSubject>[]): ShotSpec {
  const s = understand({ text: "a wide shot in a park, daylight", sections: {} });
  s.camera = { movement: "static", speed: "normal", follows: false };
  s.style = "plain";
  s.weather = "clear";
  s.subjects = subjects.map((p) => ({
    kind: "object",
    label: p.noun ?? "thing",
    noun: "thing",
    count: 1,
    traits: [],
    art: null,
    color: null,
    motion: "still",
    facing: 1,
    place: { x: 0.5, y: 0.6, size: 0.25 },
    ...p,
  })) as Subject[];
  return s;
}

function midFrame(s: ShotSpec, seconds = 2) {
  const tl = buildTimeline(s, { durationSeconds: seconds, fps: 12, seed: 3 });
  const r = new PictureRenderer({ spec: s, timeline: tl, width: W, height: H, mouth: () => 0 });
  const f = Math.floor(tl.frames / 2);
  return r.draw(f).data();
}

/** The same shot with nothing drawn in it (its one subject is far out of frame). */
let background: Uint8Array | Uint8ClampedArray | undefined;
function bg() {
  background ??= midFrame(spec([{ noun: "nothing", place: { x: -5, y: 0.5, size: 0.1 } }])).slice();
  return background;
}

/** Where the shot differs from its background: centroid and vertical extent of the pixels that pass `is`. */
function blob(
  px: Uint8Array | Uint8ClampedArray,
  is: (r: number, g: number, b: number) => boolean,
) {
  const b0 = bg();
  let n = 0;
  let sx = 0;
  let sy = 0;
  let top = H;
  let bottom = 0;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 4;
      if (!is(px[i]!, px[i + 1]!, px[i + 2]!)) continue;
      if (px[i] === b0[i] && px[i + 1] === b0[i + 1] && px[i + 2] === b0[i + 2]) continue;
      n++;
      sx += x;
      sy += y;
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  return { n, x: sx / n / W, y: sy / n / H, height: (bottom - top + 1) / H };
}

const magenta = (r: number, g: number, b: number) => r > 150 && g < 90 && b > 110;
const cyan = (r: number, g: number, b: number) => r < 100 && g > 150 && b > 170 && b - r > 100;

describe("planned subjects", () => {
  test("a subject is drawn at its planned place and height, in its colour", () => {
    const px = midFrame(
      spec([
        {
          noun: "apple",
          art: "red-apple",
          color: "magenta",
          place: { x: 0.3, y: 0.62, size: 0.2 },
        },
      ]),
    );
    const b = blob(px, magenta);
    expect(b.n).toBeGreaterThan(500);
    expect(Math.abs(b.x - 0.3) * W).toBeLessThan(4);
    // The leaf sits on top, so the coloured body's centre is a little below the drawing's centre.
    expect(Math.abs(b.y - 0.62) * H).toBeLessThan(10);
    expect(b.height).toBeGreaterThan(0.14);
    expect(b.height).toBeLessThan(0.21);
  });

  test("two subjects are both drawn, where the plan puts them (left of / right of)", () => {
    const px = midFrame(
      spec([
        {
          noun: "bicycle",
          art: "bicycle",
          color: "magenta",
          place: { x: 0.25, y: 0.65, size: 0.25 },
        },
        {
          noun: "dog",
          art: "dog",
          color: "cyan",
          facing: -1,
          place: { x: 0.72, y: 0.66, size: 0.22 },
          relation: { kind: "right-of", to: 0 },
        },
      ]),
    );
    const bike = blob(px, magenta);
    const dog = blob(px, cyan);
    expect(bike.n).toBeGreaterThan(200);
    expect(dog.n).toBeGreaterThan(500);
    expect(bike.x).toBeLessThan(0.4);
    expect(dog.x).toBeGreaterThan(0.6);
  });

  test("facing mirrors the drawing", () => {
    const right = midFrame(spec([{ noun: "horse", art: "horse", color: "magenta", facing: 1 }]));
    const left = midFrame(spec([{ noun: "horse", art: "horse", color: "magenta", facing: -1 }]));
    let same = 0;
    let mirrored = 0;
    let total = 0;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const a = (y * W + x) * 4;
        const m = (y * W + (W - 1 - x)) * 4;
        const r = magenta(right[a]!, right[a + 1]!, right[a + 2]!);
        if (!r) continue;
        total++;
        if (magenta(left[a]!, left[a + 1]!, left[a + 2]!)) same++;
        if (magenta(left[m]!, left[m + 1]!, left[m + 2]!)) mirrored++;
      }
    expect(total).toBeGreaterThan(1000);
    expect(mirrored / total).toBeGreaterThan(0.9);
    expect(same / total).toBeLessThan(0.8);
  });

  test("a count draws that many, and a subject with no drawing still shows as a shape of its colour", () => {
    const three = midFrame(
      spec([
        {
          noun: "sheep",
          art: "ewe",
          count: 3,
          color: "magenta",
          place: { x: 0.5, y: 0.65, size: 0.18 },
        },
      ]),
    );
    const one = midFrame(
      spec([
        {
          noun: "sheep",
          art: "ewe",
          count: 1,
          color: "magenta",
          place: { x: 0.5, y: 0.65, size: 0.18 },
        },
      ]),
    );
    expect(blob(three, magenta).n).toBeGreaterThan(blob(one, magenta).n * 2.3);
    const generic = blob(
      midFrame(spec([{ noun: "plumbus", art: null, color: "magenta" }])),
      magenta,
    );
    expect(generic.n).toBeGreaterThan(2000);
  });

  test("a held thing is at the holder's hand and travels with them", () => {
    // The layout puts the cup off to one side; the picture carries it at the hand.
    const s = spec([
      {
        kind: "person",
        noun: "woman",
        art: "woman",
        color: "cyan",
        motion: "walk",
        place: { x: 0.5, y: 0.55, size: 0.5 },
        relation: { kind: "holding", to: 1 },
      },
      {
        noun: "apple",
        art: "red-apple",
        color: "magenta",
        place: { x: 0.9, y: 0.85, size: 0.1 },
      },
    ]);
    const tl = buildTimeline(s, { durationSeconds: 2, fps: 12, seed: 3 });
    const r = new PictureRenderer({ spec: s, timeline: tl, width: W, height: H, mouth: () => 0 });
    const at = (f: number) => {
      const px = r.draw(f).data();
      return { coat: blob(px, cyan), apple: blob(px, magenta) };
    };
    const early = at(2);
    const late = at(20);
    for (const { coat, apple } of [early, late]) {
      expect(apple.n).toBeGreaterThan(50);
      // Beside the torso at chest height (the frame is 16:9: 0.3 of a figure is ~0.09 of width),
      // not where the layout put it.
      expect(Math.abs(apple.x - coat.x)).toBeLessThan(0.15);
      expect(apple.y).toBeLessThan(0.62);
      expect(apple.y).toBeGreaterThan(0.4);
    }
    // She walks, and the apple goes with her.
    // (The coat's blob includes the arm, whose angle changes a little as she walks.)
    const walked = late.coat.x - early.coat.x;
    expect(Math.abs(walked)).toBeGreaterThan(0.03);
    expect(Math.abs(late.apple.x - early.apple.x - walked)).toBeLessThan(0.02);
  });

  test("a person on a bench sits on it: hips at its seat, so the body is lower than standing", () => {
    const person = {
      kind: "person" as const,
      noun: "man",
      art: "man",
      color: "cyan",
      place: { x: 0.5, y: 0.55, size: 0.5 },
    };
    const bench = { noun: "bench", art: "bench", place: { x: 0.5, y: 0.675, size: 0.25 } };
    const seated = blob(
      midFrame(
        spec([{ ...person, verb: "sitting", relation: { kind: "on-top-of", to: 1 } }, bench]),
      ),
      cyan,
    );
    const standing = blob(
      midFrame(spec([person, { ...bench, place: { ...bench.place, x: -5 } }])),
      cyan,
    );
    expect(seated.n).toBeGreaterThan(500);
    // The coat (torso and arms) sits lower by about the seat's drop: a standing hip is 0.47 of
    // the height above the floor, a seated one the bench's seat height (half of its 0.25).
    expect(seated.y - standing.y).toBeGreaterThan(0.06);
    expect(seated.y - standing.y).toBeLessThan(0.16);
  });

  test("a traveller moves the way it faces between two frames", () => {
    const s = spec([
      { noun: "car", art: "automobile", color: "magenta", motion: "drive", facing: -1 },
    ]);
    const tl = buildTimeline(s, { durationSeconds: 2, fps: 12, seed: 3 });
    const r = new PictureRenderer({ spec: s, timeline: tl, width: W, height: H, mouth: () => 0 });
    const early = blob(r.draw(2).data(), magenta).x;
    const late = blob(r.draw(20).data(), magenta).x;
    expect(late).toBeLessThan(early - 0.1);
  });
});

describe("people's looks", () => {
  test("no two people share a coat, and a woman has long hair", () => {
    for (const seed of [0, 1, 2, 3, 4, 5]) {
      const s = understand({ text: "A woman and a man and a boy walking in a park", sections: {} });
      const tl = buildTimeline(s, { durationSeconds: 1, fps: 12, seed });
      const r = new PictureRenderer({ spec: s, timeline: tl, width: W, height: H, mouth: () => 0 });
      const coats = r.look.slice(0, 3).map((l) => l.coat.join());
      expect(new Set(coats).size, `seed ${seed}`).toBe(3);
      expect(r.look.slice(0, 3).map((l) => Boolean(l.longHair))).toEqual([true, false, false]);
    }
  });
});

describe("speakers", () => {
  test("each speaker is drawn and only their own mouth moves with their line", () => {
    const s = spec([
      { kind: "person", noun: "woman", art: null, place: { x: 0.3, y: 0.6, size: 0.5 } },
      { kind: "person", noun: "man", art: null, facing: -1, place: { x: 0.7, y: 0.6, size: 0.5 } },
    ]);
    const tl = buildTimeline(s, { durationSeconds: 2, fps: 12, seed: 3 });
    const f = Math.floor(tl.frames / 2);
    const draw = (who: number | null) =>
      new PictureRenderer({
        spec: s,
        timeline: tl,
        width: W,
        height: H,
        mouth: (subject) => (subject === who ? 1 : 0),
      })
        .draw(f)
        .data()
        .slice();
    const closed = draw(null);
    for (const [who, x] of [
      [0, 0.3],
      [1, 0.7],
    ] as const) {
      const open = draw(who);
      let near = 0;
      let far = 0;
      for (let i = 0; i < closed.length; i += 4) {
        if (closed[i] === open[i] && closed[i + 1] === open[i + 1] && closed[i + 2] === open[i + 2])
          continue;
        const px = (i / 4) % W;
        if (Math.abs(px / W - x) < 0.1) near++;
        else far++;
      }
      expect(near, `speaker ${who}`).toBeGreaterThan(5);
      expect(far, `speaker ${who}`).toBe(0);
    }
  });
});
