import { byPriority, type Rule, w } from "./rules.ts";
import type { SettingKind } from "./types.ts";

/**
 * Places. In priority order, the most specific first: "street market" is a market, "garden
 * table" a garden, "under the sea" underwater rather than ocean, "rocky coast" a coast.
 */
export const settingRules: readonly Rule<SettingKind>[] = [
  [
    w(
      "underwater|under ?water|under the (?:sea|ocean|waves)|coral reefs?|sea ?bed|ocean floor|seafloor|aquarium",
    ),
    "underwater",
  ],
  [
    w(
      "outer space|space station|galaxy|galaxies|planets?|orbit|moon surface|nebula|cosmos|in space|through space|into space|to space|deep space|asteroid field",
    ),
    "space",
  ],
  [w("market|bazaar|stalls?|flea market"), "market"],
  [w("club|bar|lounge|speakeasy|nightclub|pub"), "club"],
  [w("restaurant|diner|bistro|dining room|pizzeria"), "restaurant"],
  [w("caf[eé]s?|coffee shop|coffeehouse|tea room|bakery"), "cafe"],
  [w("classroom|school|lecture hall|blackboard|chalkboard"), "classroom"],
  [w("office|cubicle|boardroom|workplace|co-?working"), "office"],
  [w("library|bookshop|bookstore|bookshel(?:f|ves)"), "library"],
  [w("bedroom|bed ?room|nursery"), "bedroom"],
  [
    w(
      "stadium|arena|football (?:pitch|field)|soccer (?:pitch|field)|ballpark|racetrack|race track",
    ),
    "stadium",
  ],
  [w("stage|concert|theater|theatre|auditorium"), "stage"],
  [w("kitchen|bakery counter|stove"), "kitchen"],
  [w("farms?|farmyard|barn(?:yard)?|ranch|pasture|paddock|orchard|vineyard"), "farm"],
  [w("garden|backyard|lawn|flower bed|greenhouse"), "garden"],
  [w("jungle|rain ?forest|tropical forest"), "jungle"],
  [w("forest|woods|woodland|trees|grove"), "forest"],
  [w("desert|dunes?|sahara|canyon|savann?ah?|badlands"), "desert"],
  [
    w(
      "snowy|snow-covered|snowfield|arctic|antarctic|tundra|glaciers?|ski slope|igloo|north pole|icy",
    ),
    "snow",
  ],
  [
    w(
      "coast(?:line)?|rocky shore|cliffs? by the sea|sea cliffs?|harbou?r|port|pier|lighthouse|bay|cove",
    ),
    "coast",
  ],
  [w("beach|seashore|shore|sand|seaside"), "beach"],
  [w("ocean|sea|open water|waves|high seas|surfing|a wave"), "ocean"],
  [w("lake|pond|lagoon"), "lake"],
  [w("river(?:bank|side)?|stream|creek|canal|waterfall"), "river"],
  [w("skyline|skyscrapers?|downtown|high-?rises?"), "skyline"],
  [w("park|playground"), "park"],
  [w("fields?|meadows?|prairie|grassland|plains?|countryside|hillside"), "field"],
  [w("mountains?|hills?|cliffs?|valley|peaks?|volcano"), "mountain"],
  [w("highway|freeway|motorway|country road|road|racecourse"), "road"],
  [w("street|alley|sidewalk|crosswalk|avenue|boulevard"), "street"],
  [w("city|rooftop|town|village|metropolis|urban"), "city"],
  [w("sky|skies|clouds|above the clouds|in the air|midair|mid-air"), "sky"],
  [w("desk|workbench"), "office"],
  [w("table|counter|countertop"), "kitchen"],
  [
    w(
      "room|ballroom|studio|living room|house|hall|apartment|interior|indoors|museum|gallery|hospital|lab(?:oratory)?",
    ),
    "room",
  ],
];

export const interiorSettings: readonly SettingKind[] = [
  "club",
  "stage",
  "cafe",
  "kitchen",
  "room",
  "office",
  "classroom",
  "library",
  "bedroom",
  "restaurant",
];

/** The place a phrase names ("a rocky coast" → coast), or undefined. */
export function settingOf(text: string): SettingKind | undefined {
  return byPriority(text, settingRules);
}

/** The words that named the place, from "in/on/at/through …" when there is one. */
export function settingText(text: string, kind: SettingKind | undefined): string {
  if (!kind) return "";
  // The earliest words that name this kind of place, whichever of its rules matched.
  let m: RegExpExecArray | null = null;
  for (const [re, k] of settingRules) {
    if (k !== kind) continue;
    const hit = re.exec(text);
    if (hit && (!m || hit.index < m.index)) m = hit;
  }
  if (!m) return "";
  const start = Math.max(text.lastIndexOf(",", m.index), text.lastIndexOf(".", m.index)) + 1;
  const endComma = text.indexOf(",", m.index);
  const clause = text.slice(start, endComma < 0 ? undefined : endComma).trim();
  const prep = /\b(?:in|on|at|through|down|along|across|inside|over|above|by)\s+(.*)$/i.exec(
    clause,
  );
  // Only when the preposition introduces the place ("in a sunlit garden"), not "market at night".
  const usePrep = prep && start + prep.index < m.index;
  return (usePrep ? prep[1]! : clause).replace(/^(a|an|the)\s+/i, "").trim();
}
