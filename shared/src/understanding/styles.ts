import { byPriority, type Rule, w } from "./rules.ts";
import type { Style } from "./types.ts";

/**
 * Art styles, the most specific reference first ("Cinematic film grain, Wes Anderson style" is
 * Wes Anderson; "Van Gogh painting" is Van Gogh, not a generic painting). Each named art style
 * maps to its own `Style`, which the picture treats differently.
 */
export const styleRules: readonly Rule<Style>[] = [
  [w("van gogh|vincent van gogh|starry night|impasto|post-?impressionis[mt]"), "van-gogh"],
  [w("ukiyo-?e|woodblock(?: print)?|hokusai|hiroshige|japanese print"), "ukiyo-e"],
  [w("pixel[- ]?art|pixelated|8-?bit|16-?bit|retro (?:video )?game|sprite art"), "pixel-art"],
  [w("claymation|stop[- ]motion|plasticine|clay animation|aardman"), "claymation"],
  [w("wes anderson|symmetric(?:al)?|pastel"), "pastel-symmetric"],
  [w("surreal(?:ism|ist)?|dal[ií]|salvador dal[ií]|magritte|dreamlike|melting clocks"), "surreal"],
  [w("comic(?: book)?s?|graphic novel|pop art|lichtenstein|halftone"), "comic"],
  [
    w("pencil sketch|sketch(?:ed|y)?|charcoal|line drawing|pencil drawing|ink drawing|hand-drawn"),
    "sketch",
  ],
  [w("cyberpunk|blade runner|neo-?tokyo"), "cyberpunk"],
  [w("anime|manga|studio ghibli|ghibli|cel[- ]shaded"), "anime"],
  [w("cartoons?|cartoony|pixar|disney|animated|looney tunes"), "cartoon"],
  [
    w(
      "oil painting|oil on canvas|oil paint|rembrandt|baroque|renaissance painting|classical painting|impressionis[mt]|monet|renoir",
    ),
    "oil-painting",
  ],
  [w("watercolou?rs?|aquarelle|gouache"), "watercolor"],
  [w("noir|film noir"), "noir"],
  [w("black and white|black-and-white|b&w|monochrome|grayscale|greyscale"), "black-and-white"],
  [w("neon[- ]?(?:noir|lit|signs)?|synthwave|vaporwave"), "neon"],
  [w("documentary|realism|realistic|handheld|vérité|verite|news footage"), "documentary"],
  [w("vintage|retro|8mm|16mm|super 8|vhs|old film"), "vintage"],
  [w("painted|painterly|illustration|illustrated"), "watercolor"],
  [w("cinematic|film grain|filmic|movie|anamorphic"), "cinematic"],
];

export function styleOf(text: string): Style | undefined {
  return byPriority(text, styleRules);
}

/** The phrases that name a style, to keep them out of the subjects ("Van Gogh" is not a person in the shot). */
export const styleNameRe = new RegExp(
  `(?:in the style of|in the manner of|inspired by)?\\s*(?:${styleRules
    .slice(0, 16)
    .map(([re]) => re.source)
    .join("|")})(?:\\s+(?:style|styled|aesthetic|look|painting|art|print|animation|drawing))?`,
  "gi",
);
