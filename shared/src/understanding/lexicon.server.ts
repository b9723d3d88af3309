import { createRequire } from "node:module";
import { MADE_ART, SCENE_TILES } from "./drawings.ts";
import { ancestors, LEX, type Synset, senses } from "./wordnet.server.ts";

/**
 * Noun → drawing. The drawings are the icons of `@iconify-json/fluent-emoji-flat` (Microsoft
 * Fluent Emoji, MIT); their words come from `emojibase-data` (CLDR labels and tags, MIT), so
 * "automobile"/"car", "sailboat"/"boat", "ewe"/"sheep" all reach an icon without a word list of
 * ours. A noun with no icon of its own generalises through WordNet hypernyms (`wordnet.server.ts`):
 * "retriever" → sporting dog → dog, "sedan" → car, "lighthouse" → beacon → tower. Everything is
 * loaded lazily, once per process, from the packages on disk.
 */

export type ArtClass =
  | "person"
  | "mammal"
  | "bird"
  | "marine"
  | "reptile"
  | "amphibian"
  | "bug"
  | "plant"
  | "food"
  | "drink"
  | "vehicle-ground"
  | "vehicle-water"
  | "vehicle-air"
  | "building"
  | "sky"
  | "sport"
  | "object";

export interface ArtHit {
  art: string;
  /** The noun that matched the lexicon (the hypernym when generalised). */
  via: string;
  cls: ArtClass;
  /** Hops up the WordNet tree (0: the noun itself). */
  hops: number;
}

interface Entry {
  art: string;
  rank: number;
  order: number;
}

interface EmojiRow {
  label: string;
  hexcode: string;
  tags?: string[];
  group?: number;
  subgroup?: number;
  order?: number;
}

/**
 * Corrections where the emoji words mislead (a "boat" tag on a canoe, "bat" the animal vs the
 * cricket bat). Small on purpose: the general path is the emoji words and WordNet.
 */
const PREFERRED: Record<string, string> = {
  car: "automobile",
  boat: "sailboat",
  "sailing vessel": "sailboat",
  "sailing ship": "sailboat",
  ship: "ship",
  plane: "airplane",
  aircraft: "airplane",
  "heavier-than-air craft": "airplane",
  jet: "airplane",
  bike: "bicycle",
  motorbike: "motorcycle",
  train: "locomotive",
  dog: "dog",
  cat: "cat",
  horse: "horse",
  cow: "cow",
  pig: "pig",
  monkey: "monkey",
  tiger: "tiger",
  rabbit: "rabbit",
  mouse: "mouse",
  dragon: "dragon",
  bird: "bird",
  fish: "fish",
  whale: "spouting-whale",
  tower: "tokyo-tower",
  // The hand-made drawings (drawings.ts): plain furniture and containers, boards, a lighthouse
  // and a bridge the emoji set draws only as food, a landmark or a scene tile.
  table: "table",
  tabletop: "table",
  desk: "desk",
  counter: "counter",
  countertop: "counter",
  worktop: "counter",
  shelf: "shelf",
  bowl: "bowl",
  plate: "plate",
  platter: "plate",
  tray: "plate",
  vase: "vase",
  box: "box",
  crate: "crate",
  lighthouse: "lighthouse",
  bridge: "bridge",
  viaduct: "bridge",
  surfboard: "surfboard",
  skateboard: "skateboard-side",
  longboard: "skateboard-side",
  ball: "soccer-ball",
  person: "person",
  people: "person",
  family: "person",
  knight: "person",
  dinner: "pot-of-food",
  supper: "pot-of-food",
  lunch: "sandwich",
  meal: "pot-of-food",
  breakfast: "pancakes",
  man: "man",
  woman: "woman",
  boy: "boy",
  girl: "girl",
  child: "child",
  baby: "baby",
  phone: "mobile-phone",
  telephone: "telephone",
  computer: "laptop",
  tree: "deciduous-tree",
  flower: "blossom",
  house: "house",
  home: "house",
  building: "office-building",
  barn: "house",
  farmhouse: "house",
  castle: "castle",
  mountain: "mountain",
  cup: "hot-beverage",
  coffee: "hot-beverage",
  mug: "hot-beverage",
  glass: "tumbler-glass",
  bottle: "bottle-with-popping-cork",
  cake: "shortcake",
  sandwich: "sandwich",
  apple: "red-apple",
  shoe: "running-shoe",
  hat: "top-hat",
  chair: "chair",
  seat: "chair",
  bench: "bench",
  "park bench": "bench",
  bed: "bed",
  sofa: "couch-and-lamp",
  couch: "couch-and-lamp",
  lamp: "lamp",
  book: "closed-book",
  bag: "handbag",
  umbrella: "umbrella",
  balloon: "balloon",
  kite: "kite",
  guitar: "guitar",
  drum: "drum",
  leaf: "leaf-fluttering-in-wind",
  star: "star",
  moon: "crescent-moon",
  sun: "sun",
  cloud: "cloud",
  fire: "fire",
  rocket: "rocket",
  robot: "robot",
  frisbee: "flying-disc",
  orange: "tangerine",
  fruit: "red-apple",
  vessel: "ship",
  sneaker: "running-shoe",
  boot: "hiking-boot",
  labrador: "dog",
  disc: "flying-disc",
  wave: "water-wave",
  puppy: "dog",
  kitten: "cat",
  // WordNet's nearest drawing was wrong for these (a burger reached a judge through "burgher",
  // a sword a mechanical arm, a tricycle an SUV, wine and beer a hot drink, soda salt).
  burger: "hamburger",
  sword: "dagger",
  tricycle: "bicycle",
  wine: "wine-glass",
  beer: "beer-mug",
  soda: "cup-with-straw",
  soup: "bowl-of-soup",
  fork: "fork-and-knife",
  kettle: "teapot",
  suitcase: "luggage",
  map: "world-map",
  torch: "flashlight",
  cherry: "cherries",
  pumpkin: "jack-o-lantern",
  cheese: "cheese-wedge",
  king: "person-with-crown",
  police: "police-officer",
  pancake: "pancakes",
  headphones: "headphone",
  noodles: "steaming-bowl",
  sailor: "person",
  pirate: "person",
  wizard: "person",
  // Whole animals, not the emoji's faces (made-art).
  fox: "fox-side",
  vixen: "fox-side",
  wolf: "wolf-side",
  bear: "bear-side",
  // A painter's palette is no photographer's.
  photographer: "person",
};

/** Nouns the icon set has no drawing for, whatever the emoji tags say: drawn as a generic shape. */
const NO_ART = ["board", "wall", "floor", "window", "door"];

/** Words too general to draw as one thing: generalising stops before them. */
const TOO_GENERAL = new Set([
  "entity",
  "physical entity",
  "object",
  "whole",
  "artifact",
  "thing",
  "matter",
  "substance",
  "organism",
  "living thing",
  "animal",
  "being",
  "causal agent",
  "instrumentality",
  "container",
  "structure",
  "device",
  "unit",
  "part",
  "food",
  "solid",
  "covering",
  "commodity",
  "equipment",
  "implement",
  "abstraction",
  "group",
  "relation",
  "location",
  "region",
  "vertebrate",
  "chordate",
  "placental",
  "mammal",
  "young",
  "worker",
  "adult",
  "material",
  "plant part",
  "natural object",
]);

/** Words for which an emoji tag names something else entirely (a tag "sun" on sunglasses-face…). */
const NOT_SUBJECTS = new Set([
  "face",
  "hand",
  "button",
  "sign",
  "symbol",
  "mark",
  "flag",
  "word",
  "letter",
  "room",
]);

const SUBGROUP_CLASS: Record<string, ArtClass> = {
  person: "person",
  "person-role": "person",
  "person-fantasy": "person",
  "person-activity": "person",
  "person-sport": "person",
  "person-resting": "person",
  family: "person",
  "animal-mammal": "mammal",
  "animal-bird": "bird",
  "animal-amphibian": "amphibian",
  "animal-reptile": "reptile",
  "animal-marine": "marine",
  "animal-bug": "bug",
  "plant-flower": "plant",
  "plant-other": "plant",
  "food-fruit": "food",
  "food-vegetable": "food",
  "food-prepared": "food",
  "food-asian": "food",
  "food-marine": "food",
  "food-sweet": "food",
  drink: "drink",
  dishware: "object",
  "transport-ground": "vehicle-ground",
  "transport-water": "vehicle-water",
  "transport-air": "vehicle-air",
  "place-building": "building",
  "place-other": "building",
  "place-religious": "building",
  "place-geographic": "building",
  "sky & weather": "sky",
  "sky-weather": "sky",
  sport: "sport",
  "cat-face": "mammal",
  "monkey-face": "mammal",
  "face-costume": "object",
};

interface Lexicon {
  words: Map<string, Entry>;
  classOf: Map<string, ArtClass>;
  icons: Set<string>;
}

let lexicon: Lexicon | null = null;

function load(): Lexicon {
  if (lexicon) return lexicon;
  const require = createRequire(import.meta.url);
  const chars = require("@iconify-json/fluent-emoji-flat/chars.json") as Record<string, string>;
  const emoji = require("emojibase-data/en/data.json") as EmojiRow[];
  const messages = require("emojibase-data/en/messages.json") as {
    subgroups: { key: string; order: number }[];
  };
  const subgroupKey = new Map(messages.subgroups.map((s) => [s.order, s.key]));
  // The icon names of the set, from its emoji → name table (chars.json, 60 kB) rather than the
  // 9 MB icons.json, which only the picture needs for the drawings themselves.
  const icons = new Set(Object.values(chars));
  const words = new Map<string, Entry>();
  const classOf = new Map<string, ArtClass>();
  const put = (word: string, art: string, rank: number, order: number) => {
    const key = word.toLowerCase().trim();
    if (!key || NOT_SUBJECTS.has(key)) return;
    const had = words.get(key);
    if (!had || rank < had.rank || (rank === had.rank && order < had.order))
      words.set(key, { art, rank, order });
  };
  for (const e of emoji) {
    // Skin-tone variants, symbols, flags and components are not subjects.
    if (e.group === undefined || e.group === 2 || e.group === 8 || e.group === 9) continue;
    const sub = subgroupKey.get(e.subgroup ?? -1) ?? "";
    if (e.group === 0 && !SUBGROUP_CLASS[sub]) continue;
    const art =
      chars[e.hexcode.toLowerCase()] ?? chars[e.hexcode.toLowerCase().replace(/-fe0f/g, "")];
    if (!art || !icons.has(art) || SCENE_TILES.has(art)) continue;
    classOf.set(art, SUBGROUP_CLASS[sub] ?? "object");
    const order = e.order ?? 99999;
    const label = e.label
      .toLowerCase()
      .replace(/[:,].*$/, "")
      .trim();
    put(label, art, 1, order);
    const parts = label.split(/\s+/);
    if (parts.length > 1) {
      const last = parts[parts.length - 1]!;
      if (last === "face") put(parts.slice(0, -1).join(" "), art, 3, order);
      else put(last, art, 3, order);
    }
    for (const t of e.tags ?? []) put(t, art, 4, order);
  }
  for (const [id, made] of Object.entries(MADE_ART)) {
    icons.add(id);
    classOf.set(id, made.cls);
  }
  for (const name of icons) {
    if (/-(dark|light|medium|medium-dark|medium-light)$/.test(name) || SCENE_TILES.has(name))
      continue;
    put(name.replace(/-/g, " "), name, 0, 0);
  }
  for (const [word, art] of Object.entries(PREFERRED)) if (icons.has(art)) put(word, art, -1, 0);
  // No icon draws these; an emoji that merely mentions them (a ping-pong "table") would mislead.
  for (const word of NO_ART) words.delete(word);
  lexicon = { words, classOf, icons };
  return lexicon;
}

/** Whether an art id names an icon of the set. */
export function hasArt(id: string): boolean {
  return load().icons.has(id);
}

export function artClass(id: string): ArtClass {
  return load().classOf.get(id) ?? "object";
}

/** The icon the emoji words give a noun or noun phrase directly, or null. */
export function directArt(noun: string): string | null {
  return load().words.get(noun.toLowerCase())?.art ?? null;
}

const PERSON_WORDS =
  /^(person|people|man|men|woman|women|girl|boy|kid|child|children|figure|character|someone|friend|couple|crowd|family|he|she|they|lady|gentleman|guy)$/;

/**
 * The drawing for a noun: the noun itself, then its WordNet hypernyms nearest first, among its
 * first three senses (the sense reaching a drawing in the fewest hops wins; ties go to the more
 * common sense). Also says whether WordNet files it under people.
 */
export function resolveNoun(noun: string): { hit: ArtHit | null; person: boolean; known: boolean } {
  const lex = load();
  const key = noun.toLowerCase();
  // The emoji words often name the plural ("cherries", "grapes"): try it before WordNet's senses
  // of the singular (a "cherry" is first the wood).
  const direct =
    lex.words.get(key) ??
    [`${key}s`, `${key}es`, key.replace(/y$/, "ies")]
      .map((k) => lex.words.get(k))
      .find((e) => e && e.rank <= 1);
  const ss = senses(key).slice(0, 3);
  const directPerson = direct ? lex.classOf.get(direct.art) === "person" : false;
  const person = PERSON_WORDS.test(key) || directPerson;
  if (direct && direct.rank <= 3)
    return {
      hit: { art: direct.art, via: key, cls: clsFor(direct.art, person), hops: 0 },
      person,
      known: true,
    };
  let best: ArtHit | null = null;
  let bestScore = Number.POSITIVE_INFINITY;
  let bestPerson = false;
  ss.forEach((s, i) => {
    const isPerson = s.lexFile === LEX.person;
    // A person sense counts only as the noun's main sense ("sheep" is not a timid person).
    if (isPerson && i > 0) return;
    const hit = climb(s, lex, person || isPerson);
    if (!hit) return;
    // Fewest hops up the tree wins, the more common sense first; a sense that is a thing which
    // moves in a shot (an animal, a vehicle) outweighs a household object ("schooner": the
    // sailing ship, not the beer glass; "hawk": the bird, not the mortarboard).
    const score = hit.hops + 2 * i - (salience(hit.cls) >= 2 ? 2.5 : 0);
    if (score < bestScore) {
      best = hit;
      bestScore = score;
      bestPerson = isPerson;
    }
  });
  if (!direct && (bestPerson || (!best && ss[0]?.lexFile === LEX.person)))
    return {
      hit: best ?? { art: "person", via: "person", cls: "person", hops: 1 },
      person: true,
      known: true,
    };
  // People with no drawing of their own are drawn as a person ("a couple", "a barista").
  if (!best && person)
    return { hit: { art: "person", via: "person", cls: "person", hops: 1 }, person, known: true };
  // A tag-only match (an emoji that merely mentions the word) is the last resort.
  if (!best && direct)
    best = { art: direct.art, via: key, cls: clsFor(direct.art, person), hops: 0 };
  return { hit: best, person, known: ss.length > 0 || direct !== undefined };
}

function salience(c: ArtClass): number {
  if (c === "person") return 1;
  if (
    c.startsWith("vehicle") ||
    ["mammal", "bird", "marine", "reptile", "amphibian", "bug"].includes(c)
  )
    return 2;
  if (c === "object" || c === "drink" || c === "food") return 0;
  return 1;
}

function clsFor(art: string, person: boolean): ArtClass {
  return person ? "person" : (load().classOf.get(art) ?? "object");
}

function climb(sense: Synset, lex: Lexicon, person: boolean): ArtHit | null {
  const chain = [sense, ...ancestors(sense, 8)];
  for (let hops = 0; hops < chain.length; hops++) {
    const s = chain[hops]!;
    if (s.words.some((w) => TOO_GENERAL.has(w))) return null;
    for (const w of s.words) {
      const e = lex.words.get(w);
      if (e && e.rank <= 3) return { art: e.art, via: w, cls: clsFor(e.art, person), hops };
    }
  }
  return null;
}
