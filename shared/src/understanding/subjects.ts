import { isColor } from "./colors.ts";
import { drawnCount, GROUP_NOUNS } from "./counts.ts";
import { CONTAINERS as HOLDERS, IMPLIED_MOUNT, mountOf, SURFACES } from "./drawings.ts";
import { type ArtClass, artClass, directArt, resolveNoun } from "./lexicon.server.ts";
import { facingOf, motionOf } from "./motion.ts";
import type { Phrase } from "./parse.server.ts";
import { typicalHeight } from "./real-scale.ts";
import { relationOf, withoutCameraMoves } from "./relations.ts";
import { first, type Rule, w } from "./rules.ts";
import { settingOf } from "./settings.ts";
import { shareVerbs } from "./shared-verbs.ts";
import { isSoundPhrase } from "./sound-phrases.ts";
import type { Instrument, RelationKind, SettingKind, Subject, SubjectKind } from "./types.ts";

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
  /** Added for what the rider's noun or verb implies ("a cyclist" rides a bicycle). */
  implied?: boolean;
}

/** Whether a noun is drawn as a support surface or a container (a "kitchen table" is a table). */
function isFurniture(head: string): boolean {
  const art = directArt(head);
  return !!art && (Object.hasOwn(SURFACES, art) || Object.hasOwn(HOLDERS, art));
}

/** Emoji dishes that are their own vessel: "a bowl of ramen" is the ramen bowl alone. */
const DISHES =
  /^(steaming-bowl|bowl-with-spoon|pot-of-food|shallow-pan-of-food|green-salad|spaghetti|curry-rice|cooked-rice|popcorn|stew|soup|bento-box|takeout-box)$/;

/** Whether a phrase names the place rather than a subject ("across a field", "on a rocky coast"). */
export function isPlacePhrase(p: Phrase): boolean {
  const place = settingOf(p.text) ?? settingOf(p.head);
  if (!place) return false;
  // A landmark is drawn even though it also tells the place ("a lighthouse on a rocky coast":
  // the lighthouse stands there, the coast is the place).
  if (LANDMARKS.has(p.head) || isFurniture(p.head)) return false;
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
  "coffee tea water milk juice wine beer soup broth stew porridge cereal cocoa chocolate lemonade soda espresso latte cappuccino".split(
    " ",
  ),
);

/**
 * "camera" is a shot word ("the camera pans") unless someone has it in hand: "a photographer
 * holding a camera", "filming with a camera".
 */
function isHandheldCamera(p: Phrase): boolean {
  return (
    p.head === "camera" &&
    /\b(?:with|hold(?:s|ing)?|carr(?:y|ies|ying)|grip(?:s|ping)?|clutch(?:es|ing)?|rais(?:es|ing)|lift(?:s|ing)|point(?:s|ing)|aim(?:s|ing)|us(?:es|ing))$/.test(
      p.connector.trim(),
    )
  );
}

/** A container and its drink drawn as one emoji ("a glass of wine" → 🍷). */
const FILLED: Record<string, string> = {
  "glass wine": "wine-glass",
  "glass milk": "glass-of-milk",
  "glass beer": "beer-mug",
  "mug beer": "beer-mug",
};

export function subjectsFrom(phrases: Phrase[], fullText: string, setting: SettingKind): Draft[] {
  const out: Draft[] = [];
  const indexOfPhrase = new Map<number, number>();
  phrases.forEach((p, pi) => {
    // A colour word that is plural is the fruit ("a bucket of oranges"), not a colour.
    const colourThing = p.plural && isColor(p.head);
    if (
      (NOT_DRAWN.has(p.head) && !colourThing && !isHandheldCamera(p)) ||
      p.head.length < 2 ||
      /^\d/.test(p.head)
    )
      return;
    const before = phrases[pi - 1];
    if (p.prep === "of" && before && CONTAINERS.has(before.head) && CONTENTS.has(p.head)) {
      // "a glass of wine" is the wine glass; other drinks keep their container's drawing.
      const filled = FILLED[`${before.head} ${p.head}`];
      const container = out[out.length - 1];
      if (filled && container?.phrase === pi - 1) container.art = filled;
      return;
    }
    // "a bowl of soup": the liquid is drawn in the bowl, as one drawing; other containers of a
    // liquid are drawn plain.
    const holderDraft = out[out.length - 1];
    if (
      p.prep === "of" &&
      CONTENTS.has(p.head) &&
      holderDraft?.phrase === pi - 1 &&
      holderDraft.art &&
      Object.hasOwn(HOLDERS, holderDraft.art)
    ) {
      if (holderDraft.art === "bowl") holderDraft.art = "bowl-of-soup";
      return;
    }
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
    // "…, soft piano": the soundtrack, heard and not drawn.
    if (isSoundPhrase(p)) return;
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
    // "a bowl of ramen": the dish is its own bowl; the plain container is not drawn as well.
    const holder = out[out.length - 1];
    if (
      p.prep === "of" &&
      holder &&
      holder.phrase === pi - 1 &&
      holder.art &&
      Object.hasOwn(HOLDERS, holder.art) &&
      art &&
      DISHES.test(art)
    )
      out.pop();
    indexOfPhrase.set(pi, out.length);
    out.push(draft);
    // "a cyclist", "a surfer", "a man cycling": the person rides what the word implies, unless
    // the prompt names a mount itself.
    if (cls === "person") {
      const mountArt =
        IMPLIED_MOUNT[compound] ??
        IMPLIED_MOUNT[p.head] ??
        (p.verb ? IMPLIED_MOUNT[p.verb.toLowerCase()] : undefined);
      const named = phrases.some(
        (q, qi) =>
          qi !== pi && q.sentence === p.sentence && mountOf(resolveNoun(q.head).hit?.art ?? null),
      );
      if (mountArt && !named) {
        const mcls = artClass(mountArt);
        out.push({
          kind: kindOf(mountArt, mcls, false),
          label: mountArt.replace(/-side$/, ""),
          count: draft.count,
          traits: [],
          noun: mountArt.replace(/-side$/, ""),
          art: mountArt,
          color: null,
          verb: null,
          motion: motionOf("move", mcls, mountArt, setting),
          relation: null,
          facing: draft.facing,
          cls: mcls,
          phrase: pi,
          implied: true,
        });
      }
    }
  });
  // Relations: the words between a subject and the next subject in the same sentence.
  const heldBy = new Map<Draft, number>();
  for (let k = 1; k < out.length; k++) {
    const b = out[k]!;
    const bp = phrases[b.phrase]!;
    const a = out[k - 1]!;
    if (b.implied) {
      // The rider and the mount its word implies.
      ride(a, b, k, setting);
      continue;
    }
    if (phrases[a.phrase]!.sentence !== bp.sentence) continue;
    // "a bowl of strawberries": the contents are in (or on) their container.
    const hold = a.art ? HOLDERS[a.art] : undefined;
    if (hold && bp.prep === "of" && b.phrase === a.phrase + 1 && !a.implied) {
      b.relation = { kind: hold.holds === "inside" ? "inside" : "on-top-of", to: k - 1 };
      heldBy.set(b, k - 1);
      continue;
    }
    // The connector is every word between the two phrases, place phrases included.
    const between = [
      ...phrases.slice(a.phrase + 1, b.phrase).map((p) => `${p.connector} ${p.text}`),
      bp.connector,
    ].join(" ");
    const verbWords = `${phrases[a.phrase]!.verb ?? ""} ${phrases[a.phrase]!.tail}`;
    // A camera move's particle ("slow dolly in", "zoom out") relates nothing to anything.
    const words = withoutCameraMoves(`${verbWords} ${between}`).trim();
    let kind = relationOf(words);
    // "a puppy playing in a garden, catching a frisbee": an "in" that belongs to a place phrase
    // between them is no containment of the later subject; only "in" right before it is.
    if (kind === "inside" && !/\b(?:in|inside|within|into)\b/i.test(bp.connector)) kind = null;
    // What contents do, their container does ("a bowl of strawberries on a table": the bowl is
    // on the table).
    const held = heldBy.get(a);
    const from = held !== undefined ? out[held]! : a;
    if (from.relation) continue;
    kind = supportRelation(kind, from, b, words);
    if (!kind) continue;
    from.relation = { kind, to: k };
    if (kind === "riding") ride(from, b, k, setting);
  }
  // "a pizza and a cup of coffee on a table": what is joined by "and" shares the relation to a
  // surface, a container or a mount of the one after it.
  for (let k = out.length - 2; k >= 0; k--) {
    const a = out[k]!;
    const b = out[k + 1]!;
    if (a.relation || !b.relation || b.implied) continue;
    if (!["on-top-of", "at", "under", "inside"].includes(b.relation.kind)) continue;
    if (b.relation.to === k) continue;
    const bp = phrases[b.phrase]!;
    if (phrases[a.phrase]!.sentence !== bp.sentence) continue;
    const joined = /^(?:,|and|, and|,\s*and|&)$/.test(bp.connector.trim());
    const to = out[b.relation.to]!;
    // "a family eating dinner at a table": who acts on what is at (or on) a table is at it too.
    const actsOn =
      a.cls === "person" && !!a.verb && !!to.art && !!SURFACES[to.art] && to.art !== "bridge";
    if (joined) a.relation = { ...b.relation };
    else if (actsOn) a.relation = { kind: "at", to: b.relation.to };
  }
  // "a red motorcycle with a biker": a rider whose word implies a mount the prompt names rides it.
  out.forEach((d) => {
    if (d.cls !== "person" || d.relation?.kind === "riding") return;
    const want = IMPLIED_MOUNT[d.noun] ?? IMPLIED_MOUNT[d.label];
    if (!want) return;
    const m = out.findIndex(
      (o) =>
        o !== d &&
        o.art === want &&
        phrases[o.phrase]?.sentence === phrases[d.phrase]?.sentence &&
        !out.some((r) => r.relation?.kind === "riding" && out[r.relation.to] === o),
    );
    if (m < 0) return;
    const mount = out[m]!;
    if (mount.relation && out[mount.relation.to] === d) mount.relation = null;
    ride(d, mount, m, setting);
  });
  shareVerbs(out, phrases, setting);
  return out;
}

/** A rider and its mount move together, the mount by its class, both facing the same way. */
function ride(rider: Draft, mount: Draft, to: number, setting: SettingKind) {
  rider.relation = { kind: "riding", to };
  if (mount.motion === "still") mount.motion = motionOf("move", mount.cls, mount.art, setting);
  rider.motion = mount.motion;
  mount.facing = rider.facing;
  // Each rider has a mount of their own ("two girls riding bikes": two bikes).
  mount.count = rider.count;
}

/**
 * The relation as furniture, mounts and bridges read it: a person or animal "on" a mount rides it;
 * anything "at" a table stands at it; a grounded thing crossing "over" a bridge is on its deck.
 */
function supportRelation(
  kind: RelationKind | null,
  a: Draft,
  b: Draft,
  words: string,
): RelationKind | null {
  const surface = b.art ? SURFACES[b.art] : undefined;
  const rider = a.cls === "person" || ["mammal", "bird", "reptile", "amphibian"].includes(a.cls);
  if (mountOf(b.art) && rider && (kind === "on-top-of" || kind === "riding")) return "riding";
  if (surface) {
    if (/\b(?:at|around|seated at|sitting at)\b/.test(words) && kind !== "on-top-of")
      return rider ? "at" : "on-top-of";
    if (
      b.art === "bridge" &&
      !/fly|flies|flying|soar/.test(words) &&
      (kind === "above" || kind === null || kind === "on-top-of") &&
      /\b(?:cross(?:es|ing)?|over|across|on|along|onto)\b/.test(words)
    )
      return "on-top-of";
  }
  // "a woman filming with a camera", "a girl with a balloon": a person with a small thing has it
  // in hand (with a dog or a car, they are side by side).
  if (kind === "next-to" && a.cls === "person" && a.count === 1 && /\bwith\b/.test(words)) {
    const h = typicalHeight(b.art);
    if (h !== null && h <= HANDHELD_M && b.cls !== "person") return "holding";
  }
  return kind;
}

/** The tallest thing (metres) a person is taken to hold when the prompt says "with". */
const HANDHELD_M = 0.35;
