import { lightColorRe } from "./colors.ts";
import { type Rule, w } from "./rules.ts";
import type { Lighting, TimeOfDay, Weather } from "./types.ts";

export const timeRules: readonly Rule<TimeOfDay>[] = [
  [w("golden hour|sunset|sundown"), "golden-hour"],
  [w("dawn|sunrise|daybreak"), "dawn"],
  [w("morning"), "morning"],
  [w("afternoon"), "afternoon"],
  [w("dusk|twilight|evening|blue hour"), "dusk"],
  [w("night|midnight|nighttime|moonlit|moonlight|starry|dark sky"), "night"],
  [w("midday|noon|daytime"), "day"],
];
/** Hints that imply a time only when no time word is given. */
export const impliedTimeRules: readonly Rule<TimeOfDay>[] = [
  [w("neon|streetlights?"), "night"],
  [w("daylight|sunny|sunlit|bright day|sunshine"), "day"],
];

export const weatherRules: readonly Rule<Weather>[] = [
  [w("thunder(?:storm)?|storm(?:y)?|lightning"), "storm"],
  [w("rain(?:s|ing|y)?|drizzle|downpour|puddles?|wet"), "rain"],
  [w("snow(?:s|ing|y)?|blizzard|snowflakes?"), "snow"],
  [w("fog(?:gy)?|mist(?:y)?|haze|hazy"), "fog"],
  [w("cloud(?:s|y)|overcast"), "cloudy"],
  [w("clear sky|sunny|sunlit|sunshine|sunlight|blue sky"), "clear"],
];

export const lightingRules: readonly Rule<Lighting>[] = [
  [w("neon"), "neon"],
  [w("spotlights?|spot light|stage light(?:s|ing)?"), "spotlight"],
  [
    w(
      "golden hour|warm afternoon|sunset light|golden light|warm light(?:ing)?|warm afternoon lighting",
    ),
    "golden",
  ],
  [w("high contrast|hard light|chiaroscuro|harsh"), "high-contrast"],
  [w("dimly lit|dim|low light|candle ?lit|candlelight"), "dim"],
  [w("soft(?: diffused)? light|diffused|soft light(?:ing)?|overcast light"), "soft"],
  [w("moody|dramatic lighting|noir lighting|shadowy"), "moody"],
  [w("sunlit|sunlight|sunshine|sunny|bright|streaming through"), "sunlit"],
];

export const moodWords = w(
  "warm|intimate|moody|peaceful|cozy|cosy|playful|tense|dreamy|eerie|romantic|joyful|melancholic|serene|energetic|mysterious|nostalgic|whimsical|dramatic|calm",
);

/** Colour words in the clauses that talk about light ("moody blue and purple lighting"). */
export function lightColors(text: string): string[] {
  const clauses = text
    .split(/[,.;]/)
    .filter((c) =>
      /\b(light|lights|lighting|lit|glow|glowing|tones?|hues?|neon|sunlight|palette|colou?rs|colou?r grade)\b/i.test(
        c,
      ),
    );
  const found = clauses.flatMap((c) =>
    [...c.matchAll(lightColorRe)].map((m) => m[0].toLowerCase()),
  );
  return [...new Set(found)];
}
