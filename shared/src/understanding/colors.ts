/**
 * Colour names a prompt gives a subject ("a red umbrella") or the light ("green and gold
 * lighting"), each with the sRGB value the picture tints with. Basic names first, then the common
 * shades people write. Pure data, safe in the browser.
 */
export const COLORS: Readonly<Record<string, string>> = {
  red: "#d62828",
  orange: "#f77f00",
  yellow: "#fcbf49",
  green: "#2a9d3f",
  blue: "#1f6fd1",
  purple: "#7b2cbf",
  pink: "#ff70a6",
  brown: "#7f5539",
  black: "#1b1b1b",
  white: "#f5f5f5",
  grey: "#8d8d8d",
  gray: "#8d8d8d",
  gold: "#d4a017",
  golden: "#d4a017",
  silver: "#c0c0c0",
  violet: "#8f00ff",
  magenta: "#d6007e",
  cyan: "#00b7c7",
  teal: "#008080",
  turquoise: "#30d5c8",
  amber: "#ffbf00",
  crimson: "#b0122b",
  scarlet: "#ff2400",
  maroon: "#800000",
  navy: "#1b2a6b",
  beige: "#d9c5a0",
  cream: "#f3e5c0",
  ivory: "#f6f1dc",
  lavender: "#b497d6",
  lilac: "#c8a2c8",
  indigo: "#3f2b96",
  emerald: "#2e8b57",
  olive: "#708238",
  lime: "#8fd14f",
  mint: "#98e3c1",
  coral: "#ff7f50",
  peach: "#ffc49b",
  salmon: "#fa8072",
  tan: "#d2b48c",
  bronze: "#b0793f",
  copper: "#b87333",
  rust: "#b7410e",
  ruby: "#c3123f",
  sapphire: "#1f4fa3",
  azure: "#2f8fff",
  aqua: "#22c7d6",
  khaki: "#c3b091",
  charcoal: "#36454f",
  rose: "#e8668b",
  plum: "#8e4585",
  mauve: "#b784a7",
  ochre: "#cc7722",
  blond: "#e6c77a",
  blonde: "#e6c77a",
  ginger: "#c9642b",
};

/** Light-only words: not colours of a thing, but a colour of light ("warm orange lighting"). */
export const LIGHT_TONES = ["warm", "cool"] as const;

const colorAlternation = Object.keys(COLORS)
  .sort((a, b) => b.length - a.length)
  .join("|");

/** Any colour name, word-bounded. */
export const colorRe = new RegExp(`\\b(?:${colorAlternation})\\b`, "i");
/** Any colour name or light tone, for light clauses. */
export const lightColorRe = new RegExp(`\\b(?:${colorAlternation}|warm|cool)\\b`, "gi");

export function isColor(word: string): boolean {
  return Object.hasOwn(COLORS, word.toLowerCase());
}
