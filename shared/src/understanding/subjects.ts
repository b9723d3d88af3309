import { isColor } from "./colors.ts";
import { drawnCount, GROUP_NOUNS } from "./counts.ts";
import { type ArtClass, artClass, directArt, resolveNoun } from "./lexicon.server.ts";
import { facingOf, motionOf } from "./motion.ts";
import type { Phrase } from "./parse.server.ts";
import { relationOf } from "./relations.ts";
import { first, type Rule, w } from "./rules.ts";
import { settingOf } from "./settings.ts";
import type { Instrument, SettingKind, Subject, SubjectKind } from "./types.ts";

/**
 * Noun phrases → subjects: which phrases are things to draw (not the place, not camera or light
 * words), the drawing for each, its colour, count, verb and motion, and its relation to the
 * phrase before it. `place` is left for the layout (`layout.ts`).
 */

/** Nouns that name the shot, the light, the sound, the time or a side — never a thing to draw. */
const NOT_DRAWN = new Set(
  (
    "shot camera angle lens view scene frame footage video clip film movie style look aesthetic " +
    "lighting light lights glow mood atmosphere ambience ambiance music sound sounds score " +
    "soundtrack audio song beat tempo motion time day night morning evening afternoon sunset " +
    "sunrise dawn dusk twilight noon midnight hour weather rain snow fog mist wind storm breeze " +
    "sunlight sunshine moonlight daylight background foreground distance depth focus detail " +
    "color colour tone palette texture close-up closeup air something stuff thing it way side " +
    "top front back left right middle center centre edge corner action speed lot kind sort type " +
    "version art brush stroke van gogh dali hokusai pixar disney anderson shadow reflection " +
    "puddle neon sign vibe feel bokeh grain tracking dolly pan tilt zoom orbit effect effects " +
    "ambient crowd-noise noise silence voice dialogue line word words narration narrator " +
    "slow-motion timelapse time-lapse hyperlapse field-of-view sequence moment cinematic mid " +
    "sky horizon scenery landscape place setting environment surroundings world space universe " +
    // Colour names alone are the light's or a thing's colour, never a thing ("blue and purple
    // lighting"); waves and surf are the sea a place draws, and the sound it makes.
    "red orange yellow green blue purple violet pink white black grey gray brown gold golden " +
    "silver teal cyan magenta waves wave surf"
  ).split(" "),
);

/** Things that stand in a place and also imply it: drawn as subjects, not taken as the place. */
const LANDMARKS = new Set([
  "lighthouse",
  "castle",
  "tower",
  "windmill",
  "house",
  "cabin",
  "hut",
  "tent",
  "church",
  "temple",
  "bridge",
  "statue",
  "fountain",
  "pyramid",
  "igloo",
  "barn",
  "skyscraper",
  "volcano",
  "tree",
  "palm",
]);

const PERSON_KIND_ART = /^(person|man|woman|boy|girl|child|baby|older-person|old-man|old-woman)$/;

const instrumentRules: readonly Rule<Instrument>[] = [
  [w("saxophon(?:e|ist)|sax"), "saxophone"],
  [w("trumpet(?:er)?"), "trumpet"],
  [w("guitar(?:ist)?"), "guitar"],
  [w("bass(?:ist)?|double bass"), "bass"],
  [w("drum(?:s|mer)?|drum kit"), "drums"],
  [w("piano|pianist|keys"), "piano"],
  [w("violin(?:ist)?|cello"), "violin"],
  [w("singer|vocalist|microphone|mic"), "microphone"],
];
const MUSICIAN =
  /^(band|musician|saxophonist|trumpeter|guitarist|drummer|pianist|violinist|singer|vocalist|dj|cellist|bassist|orchestra|player)$/;

const LEGACY_KIND: [RegExp, SubjectKind][] = [
  [/^(dog|poodle|guide-dog|service-dog|dog-face)$/, "dog"],
  [/^(cat|black-cat|cat-face)$/, "cat"],
  [/^(hot-beverage|teacup-without-handle)$/, "cup"],
  [
    /^(automobile|taxi|police-car|racing-car|sport-utility-vehicle|pickup-truck|oncoming-automobile)$/,
    "car",
  ],
];

function kindOf(art: string | null, cls: ArtClass, musician: boolean): SubjectKind {
  if (musician) return "musician";
  if (cls === "person") return "person";
  if (art) for (const [re, k] of LEGACY_KIND) if (re.test(art)) return k;
  if (cls === "bird") return "bird";
  return "object";
}

function sexOf(noun: string): Subject["sex"] {
  if (
    /^(man|men|boy|gentleman|guy|father|dad|grandfather|grandpa|king|prince|husband|son|brother|uncle|waiter|actor|he)$/.test(
      noun,
    )
  )
    return "male";
  if (
    /^(woman|women|girl|lady|mother|mom|mum|grandmother|grandma|queen|princess|wife|daughter|sister|aunt|waitress|actress|she)$/.test(
      noun,
    )
  )
    return "female";
  return undefined;
}

export interface Draft extends Omit<Subject, "place"> {
  cls: ArtClass;
  /** Index of the phrase it came from. */
  phrase: number;
}

/** Whether a phrase names the place rather than a subject ("across a field", "on a rocky coast"). */
export function isPlacePhrase(p: Phrase): boolean {
  const place = settingOf(p.text) ?? settingOf(p.head);
  if (!place) return false;
  // A landmark is drawn even though it also tells the place ("a lighthouse on a rocky coast":
  // the lighthouse stands there, the coast is the place).
  if (LANDMARKS.has(p.head)) return false;
  if (settingOf(p.head)) return true;
  return p.prep !== null;
}

/** "a cup of coffee", "a glass of wine": the container is the thing drawn, its contents are not. */
const CONTAINERS = new Set([
  "cup",
  "mug",
  "glass",
  "bottle",
  "jar",
  "pot",
  "can",
  "carton",
  "flask",
]);
const CONTENTS = new Set(
  "coffee tea water milk juice wine beer soup cocoa chocolate lemonade soda espresso latte cappuccino".split(
    " ",
  ),
);

export function subjectsFrom(phrases: Phrase[], fullText: string, setting: SettingKind): Draft[] {
  const out: Draft[] = [];
  const indexOfPhrase = new Map<number, number>();
  phrases.forEach((p, pi) => {
    if (NOT_DRAWN.has(p.head) || p.head.length < 2 || /^\d/.test(p.head)) return;
    const before = phrases[pi - 1];
    if (p.prep === "of" && before && CONTAINERS.has(before.head) && CONTENTS.has(p.head)) return;
    if (p.name) {
      // A person's name ("Mia", "Marco"): a person, named, drawn by the person rig.
      const d: Draft = {
        kind: "person",
        label: p.name,
        count: 1,
        traits: [...p.adjectives],
        noun: "person",
        art: "person",
        color: null,
        verb: p.verb,
        motion: motionOf(p.verb, "person", null, setting),
        relation: null,
        facing: facingOf(`${p.verb ?? ""} ${p.tail}`),
        cls: "person",
        phrase: pi,
        name: p.name,
      };
      indexOfPhrase.set(pi, out.length);
      out.push(d);
      return;
    }
    if (isPlacePhrase(p)) return;
    // A compound the icon set knows as one thing wins ("hot air balloon", "teddy bear").
    const compound = [...p.modifiers, p.head].join(" ");
    const compoundArt = p.modifiers.length ? directArt(compound) : null;
    const resolved = resolveNoun(p.head);
    // "saxophone player": the head names a person, the modifier their instrument.
    const musician = MUSICIAN.test(p.head) && (p.head !== "player" || p.modifiers.length > 0);
    // A musician or band is drawn by the person rig with an instrument, never by what the word's
    // other senses draw ("band" is also a chocolate bar's wrapper in the emoji words).
    let art = musician ? "person" : (compoundArt ?? resolved.hit?.art ?? null);
    let noun = compoundArt ? compound : p.head;
    if (!art && p.modifiers.length) {
      // "retriever puppy" → puppy is unknown? try the modifier's drawing ("tabby" unknown, "cat" known).
      for (const m of [...p.modifiers].reverse()) {
        const r = resolveNoun(m);
        if (r.hit) {
          art = r.hit.art;
          noun = m;
          break;
        }
      }
    }
    if (!resolved.known && !art && !/^[a-z]+$/.test(p.head)) return;
    const cls: ArtClass = musician || resolved.person ? "person" : art ? artClass(art) : "object";
    const color = p.adjectives.find((a) => isColor(a)) ?? null;
    // "a couple", "a crowd", "a family": a group noun of people is its own count.
    const groupOf = cls === "person" && p.count === null ? (GROUP_NOUNS[p.head] ?? null) : null;
    const count = drawnCount(p.count ?? groupOf, p.plural);
    const kind = kindOf(art, cls, musician);
    const draft: Draft = {
      kind,
      label: p.text,
      count: p.head === "band" ? Math.max(3, count) : count,
      traits: [...new Set(p.adjectives)],
      noun,
      art: art && kind === "person" && !PERSON_KIND_ART.test(art) && !resolved.person ? art : art,
      color,
      verb: p.verb,
      motion: motionOf(p.verb, cls, art, setting),
      relation: null,
      facing: facingOf(`${p.verb ?? ""} ${p.tail}`),
      cls,
      phrase: pi,
    };
    if (musician) draft.instrument = first(fullText, instrumentRules) ?? "saxophone";
    const sex = sexOf(p.head);
    if (sex) draft.sex = sex;
    indexOfPhrase.set(pi, out.length);
    out.push(draft);
  });
  // Relations: the words between a subject and the next subject in the same sentence.
  for (let k = 1; k < out.length; k++) {
    const b = out[k]!;
    const bp = phrases[b.phrase]!;
    const a = out[k - 1]!;
    if (phrases[a.phrase]!.sentence !== bp.sentence) continue;
    // The connector is every word between the two phrases, place phrases included.
    const between = [
      ...phrases.slice(a.phrase + 1, b.phrase).map((p) => `${p.connector} ${p.text}`),
      bp.connector,
    ].join(" ");
    const verbWords = `${phrases[a.phrase]!.verb ?? ""} ${phrases[a.phrase]!.tail}`;
    const kind = relationOf(`${verbWords} ${between}`.trim());
    if (kind) a.relation = { kind, to: k };
    // A rider moves with the mount: the mount travels by its class, the rider with it.
    if (kind === "riding") {
      if (b.motion === "still") b.motion = motionOf("move", b.cls, b.art, setting);
      a.motion = b.motion;
      b.facing = a.facing;
    }
  }
  return out;
}
