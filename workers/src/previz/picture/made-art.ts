/**
 * Hand-made drawings, as SVG bodies in the same shape as the icon set's (an id, a body, a view
 * box), so the sprite cache, the tint and the grading treat them like any other drawing. They are
 * the things the emoji set has no plain drawing of: furniture things rest on (a table, a desk, a
 * kitchen counter, a wall shelf), plain containers (a bowl, a plate, a vase, an open box, a
 * crate), boards a rider stands on, a lighthouse and a bridge with a deck. Each view box is the
 * drawing's own box (no padding), so its aspect is the one `MADE_ART` in
 * `shared/src/understanding/drawings.ts` states (a test holds them together).
 */

export interface MadeIcon {
  body: string;
  width: number;
  height: number;
}

const rect = (x: number, y: number, w: number, h: number, fill: string, rx = 0) =>
  `<rect x="${x}" y="${y}" width="${w}" height="${h}"${rx ? ` rx="${rx}"` : ""} fill="${fill}"/>`;
const path = (d: string, fill: string, extra = "") => `<path d="${d}" fill="${fill}"${extra}/>`;
const circle = (cx: number, cy: number, r: number, fill: string) =>
  `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${fill}"/>`;

function lighthouse(): string {
  // A tapering white tower (x 13..29 at the top y 28, 8..34 at the foot y 92) with red bands.
  const xl = (y: number) => 13 - (5 * (y - 28)) / 64;
  const band = (y0: number, y1: number) =>
    path(`M${xl(y0)} ${y0}L${42 - xl(y0)} ${y0}L${42 - xl(y1)} ${y1}L${xl(y1)} ${y1}Z`, "#d32f2f");
  return [
    path("M13 28L29 28L34 92L8 92Z", "#f5f5f2"),
    band(36, 46),
    band(56, 66),
    band(76, 86),
    path("M26 28L29 28L34 92L30 92Z", "#000000", ' fill-opacity="0.12"'),
    rect(18, 82, 6, 10, "#5d4037", 1),
    rect(0, 92, 42, 8, "#6d6a66", 2),
    rect(9, 24, 24, 4, "#37474f"),
    rect(14, 12, 14, 12, "#ffe082"),
    rect(14, 12, 14, 2, "#37474f"),
    rect(20, 12, 2, 12, "#37474f"),
    path("M12 12L21 2L30 12Z", "#c62828"),
    circle(21, 2, 2, "#c62828"),
  ].join("");
}

function bridge(): string {
  // A stone bridge: a road deck on top of four arches (holes, evenodd), 220 × 40.
  let arches = "";
  for (let i = 0; i < 4; i++) {
    const cx = 27.5 + 55 * i;
    arches += `M${cx - 21} 40L${cx - 21} 26Q${cx - 21} 13 ${cx} 13Q${cx + 21} 13 ${cx + 21} 26L${cx + 21} 40Z`;
  }
  let stones = "";
  for (let i = 0; i < 22; i++) stones += rect(3 + i * 10, 7.5, 6, 2, "#9c7a5b");
  return [
    path(`M0 6L220 6L220 40L0 40Z${arches}`, "#b48a64", ' fill-rule="evenodd"'),
    stones,
    rect(0, 0, 220, 6, "#5f6368"),
    rect(0, 0, 220, 1.5, "#9aa0a6"),
  ].join("");
}

function crate(): string {
  return [
    rect(0, 0, 54, 40, "#8a5a2f"),
    rect(0, 1, 54, 10, "#c48d55"),
    rect(0, 15, 54, 10, "#c48d55"),
    rect(0, 29, 54, 10, "#c48d55"),
    rect(0, 0, 5, 40, "#9b6535"),
    rect(49, 0, 5, 40, "#9b6535"),
  ].join("");
}

function bench(): string {
  // A park bench seen from the front, 110 × 50: two back slats on posts, a seat, iron legs.
  return [
    rect(10, 0, 4, 30, "#3e4a4f"),
    rect(96, 0, 4, 30, "#3e4a4f"),
    rect(4, 2, 102, 7, "#a0643a", 1.5),
    rect(4, 12, 102, 7, "#a0643a", 1.5),
    rect(4, 2, 102, 1.5, "#c4844f"),
    rect(4, 12, 102, 1.5, "#c4844f"),
    rect(0, 23, 110, 7, "#b06f40", 1.5),
    rect(0, 23, 110, 1.8, "#d08f5a"),
    path("M8 30L14 30L12 50L6 50Z", "#2f383c"),
    path("M96 30L102 30L104 50L98 50Z", "#2f383c"),
    path("M0 30L110 30L110 32L0 32Z", "#000000", ' fill-opacity="0.2"'),
  ].join("");
}

/**
 * A fox or a wolf in profile, facing left like the emoji animals, 104 × 58: the set has only
 * their faces, which cannot trot, run or howl across a field.
 */
function canine(c: { coat: string; dark: string; light: string; tailTip: string; wolf: boolean }) {
  const legs = [30, 38, 66, 74].map(
    (x, i) =>
      rect(x, 36, 5, 22, i % 2 ? c.coat : c.dark, 2) +
      rect(x, 50, 5, 8, c.wolf ? c.dark : "#3b2a22", 2),
  );
  const tail = c.wolf
    ? path("M78 28C92 30 100 40 102 52C96 50 90 44 86 40C82 38 79 36 77 33Z", c.coat) +
      path("M102 52C99 52 96 50 94 48L98 46Z", c.tailTip)
    : path("M78 30C92 26 98 14 96 4C104 12 104 30 90 38C85 41 80 38 77 34Z", c.coat) +
      path("M96 4C101 8 104 14 103 20C99 15 96 12 93 10Z", c.tailTip);
  return [
    tail,
    ...legs,
    `<ellipse cx="54" cy="31" rx="27" ry="11" fill="${c.coat}"/>`,
    `<ellipse cx="50" cy="38" rx="18" ry="3.6" fill="${c.light}"/>`,
    path("M22 22L34 19L41 30L30 37Z", c.coat),
    path("M3 27L16 18L30 16L34 26L22 32L9 31Z", c.coat),
    path("M3 27L9 31L22 32L18 27Z", c.light),
    path("M16 19L19 4L25 17Z", c.coat),
    path("M24 17L29 3L33 18Z", c.coat),
    path("M19 15L20 8L23 15Z", c.dark),
    path("M27 15L29 8L31 16Z", c.dark),
    circle(4, 27, 1.8, "#222222"),
    circle(17, 22, 1.4, "#222222"),
  ].join("");
}

function bear(): string {
  // A brown bear in profile facing left, 100 × 60: a heavy body with a shoulder hump, short legs.
  const coat = "#7b5134";
  const dark = "#5d3b24";
  return [
    ...[24, 34, 66, 76].map((x, i) => rect(x, 36, 9, 24, i % 2 ? coat : dark, 3)),
    path(
      "M18 26C22 10 40 8 50 12C66 8 88 12 94 26C98 38 88 44 70 44L30 44C20 44 14 36 18 26Z",
      coat,
    ),
    path("M40 12C46 6 56 6 60 12Z", coat),
    circle(16, 26, 13, coat),
    circle(12, 14, 4.5, coat),
    circle(12, 14, 2.2, dark),
    circle(22, 13, 4.5, coat),
    `<ellipse cx="5" cy="30" rx="6" ry="4.5" fill="#a8784f"/>`,
    circle(1.5, 29, 1.8, "#222222"),
    circle(12, 23, 1.4, "#222222"),
  ].join("");
}

export const MADE_ICONS: Readonly<Record<string, MadeIcon>> = {
  "fox-side": {
    width: 104,
    height: 58,
    body: canine({
      coat: "#e8772e",
      dark: "#c25a1c",
      light: "#f6ede4",
      tailTip: "#f6ede4",
      wolf: false,
    }),
  },
  "wolf-side": {
    width: 104,
    height: 58,
    body: canine({
      coat: "#8d949b",
      dark: "#5f666d",
      light: "#d9dcdf",
      tailTip: "#3f4549",
      wolf: true,
    }),
  },
  "bear-side": { width: 100, height: 60, body: bear() },
  bench: { width: 110, height: 50, body: bench() },
  table: {
    width: 70,
    height: 40,
    body: [
      rect(7, 4, 4, 36, "#8a532e"),
      rect(59, 4, 4, 36, "#8a532e"),
      rect(4, 4, 62, 5, "#7f4a28"),
      rect(0, 0, 70, 5, "#a86a3d", 1.5),
      rect(2, 0.8, 66, 1.2, "#c98a55"),
    ].join(""),
  },
  lamp: {
    // A desk lamp: a round base, a jointed arm and a shade pointing down.
    width: 40,
    height: 50,
    body: [
      `<ellipse cx="12" cy="47" rx="12" ry="3" fill="#37474f"/>`,
      path("M10.5 46L13.5 46L23 22L20 21Z", "#546e7a"),
      path("M20 21L23 22L29 9L26 8Z", "#546e7a"),
      circle(21.5, 21.5, 2.5, "#37474f"),
      path("M20 0L40 10L34 20L14 10Z", "#2e7d5b"),
      path("M16 11L34 20L31 22Q22 22 16 15Z", "#ffe082"),
    ].join(""),
  },
  desk: {
    width: 76,
    height: 40,
    body: [
      rect(29, 4, 40, 12, "#7a4b29"),
      rect(68, 4, 5, 36, "#85552f"),
      rect(3, 4, 26, 36, "#85552f"),
      rect(5, 8, 22, 8, "#a7744a", 1),
      rect(5, 18, 22, 8, "#a7744a", 1),
      rect(5, 28, 22, 10, "#a7744a", 1),
      circle(16, 12, 1.2, "#e8c98a"),
      circle(16, 22, 1.2, "#e8c98a"),
      circle(16, 33, 1.2, "#e8c98a"),
      rect(0, 0, 76, 5, "#9c6b43", 1.5),
      rect(2, 0.8, 72, 1.2, "#bf8a5c"),
    ].join(""),
  },
  counter: {
    width: 96,
    height: 40,
    body: [
      rect(2, 4, 92, 34, "#5f8fa8"),
      ...[0, 1, 2, 3].map((i) => rect(5 + 23 * i, 8, 20, 27, "#72a3bd", 1)),
      ...[0, 1, 2, 3].map((i) => rect(13 + 23 * i, 10, 4, 1.5, "#e3eaee")),
      rect(4, 38, 88, 2, "#3c5a6a"),
      rect(0, 0, 96, 5, "#d8d3cb", 1),
      rect(0, 0, 96, 1.3, "#f0ede8"),
    ].join(""),
  },
  shelf: {
    width: 80,
    height: 20,
    body: [
      path("M8 5L18 5L8 20Z", "#6d6d6d"),
      path("M62 5L72 5L72 20Z", "#6d6d6d"),
      rect(0, 0, 80, 5, "#a0643a", 1),
      rect(1, 0.6, 78, 1.2, "#c4844f"),
    ].join(""),
  },
  bowl: {
    width: 42,
    height: 20,
    // The front wall only: what is in the bowl shows above its curved lip.
    body: [
      path("M0 2Q21 7 42 2C42 14 32 20 21 20C10 20 0 14 0 2Z", "#eef2f5"),
      path("M1.5 8Q21 13 40.5 8L39.6 11Q21 16 2.4 11Z", "#5b8fd6"),
      path("M0 2Q21 7 42 2L42 3.4Q21 8.4 0 3.4Z", "#c9d3da"),
      path("M30 4.5C33 11 31 15 27 18C33 16 38 12 39 4Z", "#000000", ' fill-opacity="0.08"'),
    ].join(""),
  },
  "bowl-of-soup": {
    // The bowl with its soup showing: the surface an ellipse above the lip.
    width: 42,
    height: 22,
    body: [
      `<ellipse cx="21" cy="4" rx="20" ry="3.6" fill="#e07a2e"/>`,
      `<ellipse cx="17" cy="3.2" rx="6" ry="1.2" fill="#f3a25e"/>`,
      path("M0 4Q21 9 42 4C42 16 32 22 21 22C10 22 0 16 0 4Z", "#eef2f5"),
      path("M1.5 10Q21 15 40.5 10L39.6 13Q21 18 2.4 13Z", "#5b8fd6"),
      path("M0 4Q21 9 42 4L42 5.4Q21 10.4 0 5.4Z", "#c9d3da"),
    ].join(""),
  },
  plate: {
    width: 45,
    height: 10,
    body: [
      `<ellipse cx="22.5" cy="5" rx="22.5" ry="5" fill="#e8edf1"/>`,
      `<ellipse cx="22.5" cy="4.4" rx="15" ry="3" fill="#f8fafb"/>`,
    ].join(""),
  },
  vase: {
    width: 31,
    height: 50,
    body: [
      path("M9 0L22 0L21 6C31 14 32 34 24 50L7 50C-1 34 0 14 10 6Z", "#4f7fd1"),
      rect(8, 0, 15, 3, "#3d68b4", 1),
      path("M11 12C6 20 6 34 10 44C8 34 8 22 13 12Z", "#ffffff", ' fill-opacity="0.35"'),
      path("M3 30Q15.5 34 28 30L28.3 33Q15.5 37 2.7 33Z", "#f2c14e"),
    ].join(""),
  },
  box: {
    width: 54,
    height: 40,
    body: [
      path("M0 8L8 0L20 0L14 8Z", "#b57b40"),
      path("M54 8L46 0L34 0L40 8Z", "#b57b40"),
      rect(0, 8, 54, 32, "#c98f52"),
      rect(0, 8, 54, 2, "#a86f38"),
      rect(24, 8, 6, 10, "#e3c08a"),
    ].join(""),
  },
  crate: { width: 54, height: 40, body: crate() },
  lighthouse: { width: 42, height: 100, body: lighthouse() },
  bridge: { width: 220, height: 40, body: bridge() },
  surfboard: {
    width: 100,
    height: 20,
    body: [
      path("M20 13L27 20L31 13Z", "#37474f"),
      path("M0 9C6 3 60 0 100 7C100 10 60 16 8 15C3 14 0 12 0 9Z", "#ff8a3d"),
      path("M4 9C20 6 70 5 96 7.5L96 9C70 8 20 9 4 11Z", "#ffffff"),
    ].join(""),
  },
  "skateboard-side": {
    width: 80,
    height: 20,
    body: [
      rect(14, 7, 9, 3, "#9e9e9e"),
      rect(57, 7, 9, 3, "#9e9e9e"),
      circle(18.5, 15, 5, "#ffd54f"),
      circle(61.5, 15, 5, "#ffd54f"),
      circle(18.5, 15, 2, "#f57f17"),
      circle(61.5, 15, 2, "#f57f17"),
      path("M6 3L74 3Q80 3 80 0L80 3Q80 8 74 8L6 8Q0 8 0 3L0 0Q0 3 6 3Z", "#6a4fa0"),
      rect(6, 3, 68, 1.2, "#8e75c4"),
    ].join(""),
  },
};
