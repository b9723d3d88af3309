import type { StructuredPrompt } from "@reelhouse/shared/generation/request";

/**
 * Prompt understanding for the previz animatic: free text plus the structured sections become a
 * typed shot spec. Pure and rules-based (keyword and phrase patterns, no model): it reads what a
 * director would write ("slow-motion", "tracking shot", "golden hour", `Mia says "Hi"`), and picks
 * stated defaults for what a prompt leaves out — `defaulted` lists them so the UI can coach.
 */

export type SubjectKind = "dog" | "cat" | "bird" | "person" | "musician" | "cup" | "car" | "object";

export type Instrument =
  | "saxophone"
  | "trumpet"
  | "guitar"
  | "bass"
  | "drums"
  | "piano"
  | "violin"
  | "microphone";

/**
 * How a subject moves, from its verb and its class ("a horse galloping" → gallop, "a plane" →
 * fly, "a boat" → sail). The picture animates each kind; `still` stands.
 */
export type Motion =
  | "still"
  | "walk"
  | "run"
  | "gallop"
  | "hop"
  | "fly"
  | "swim"
  | "drive"
  | "sail"
  | "roll"
  | "spin"
  | "fall"
  | "float"
  | "slither"
  | "sway"
  | "bounce";

/** Where one subject stands relative to another ("a red bicycle on the left of a black dog"). */
export type RelationKind =
  | "left-of"
  | "right-of"
  | "above"
  | "below"
  | "on-top-of"
  | "under"
  | "next-to"
  | "in-front-of"
  | "behind"
  | "holding"
  | "riding"
  | "inside";

/**
 * The plan contract between understanding and drawing (issue 11). Understanding fills every
 * field; the picture draws `art` (or the hand-made rig of `kind`) at `place`, tinted `color`,
 * moving by `motion`, facing `facing`. `explain` prints these.
 */
export interface SubjectPlan {
  /** The word understood, singular ("horse", "retriever"). */
  noun: string;
  /** Id of the illustration drawn (an art catalog id such as "horse"), or null for a generic shape. */
  art: string | null;
  /** The colour name the prompt gives this subject ("red"), or null. */
  color: string | null;
  motion: Motion;
  /** The verb acting on it, as written ("galloping"). */
  verb?: string;
  relation?: { kind: RelationKind; to: number };
  /** Centre at the middle of the shot, fractions of width and height from the top left; `size` is its height as a fraction of the frame height. */
  place: { x: number; y: number; size: number };
  /** 1 faces right (the direction of travel), -1 faces left. */
  facing: 1 | -1;
}

export interface Subject extends Partial<SubjectPlan> {
  kind: SubjectKind;
  /** The words that named it, e.g. "golden retriever puppy". */
  label: string;
  count: number;
  /** Colour/appearance words found near it (e.g. "golden", "hooded"). */
  traits: string[];
  instrument?: Instrument;
  /** Spoken name when the prompt gives one (speaker attribution). */
  name?: string;
}

export type ActionKind =
  | "walk"
  | "run"
  | "catch"
  | "play"
  | "perform"
  | "talk"
  | "dance"
  | "jump"
  | "fly"
  | "drive"
  | "steam"
  | "idle";

export type SettingKind =
  | "garden"
  | "park"
  | "forest"
  | "beach"
  | "mountain"
  | "street"
  | "market"
  | "city"
  | "club"
  | "stage"
  | "cafe"
  | "kitchen"
  | "room"
  | "space"
  // Places added for issue 11.
  | "ocean"
  | "coast"
  | "lake"
  | "river"
  | "field"
  | "farm"
  | "desert"
  | "snow"
  | "underwater"
  | "skyline"
  | "office"
  | "classroom"
  | "stadium"
  | "sky"
  | "jungle"
  | "road"
  | "library"
  | "bedroom"
  | "restaurant"
  | "generic";

export type TimeOfDay = "dawn" | "morning" | "day" | "afternoon" | "golden-hour" | "dusk" | "night";
export type Weather = "clear" | "cloudy" | "rain" | "storm" | "snow" | "fog";
export type ShotType =
  | "extreme-wide"
  | "wide"
  | "medium"
  | "close-up"
  | "extreme-close-up"
  | "over-the-shoulder";
export type CameraMovement =
  | "static"
  | "pan"
  | "tilt"
  | "dolly"
  | "zoom"
  | "tracking"
  | "orbit"
  | "handheld";
export type Lighting =
  | "natural"
  | "sunlit"
  | "golden"
  | "soft"
  | "high-contrast"
  | "dim"
  | "spotlight"
  | "neon"
  | "moody";
export type Pacing = "normal" | "slow-motion" | "time-lapse";
export type MusicMood =
  | "playful"
  | "calm"
  | "jazz"
  | "synthwave"
  | "tense"
  | "epic"
  | "sad"
  | "upbeat"
  | "romantic";
export type Ambience =
  | "rain"
  | "city"
  | "crowd"
  | "nature"
  | "birds"
  | "wind"
  | "waves"
  | "room"
  | "traffic"
  | "fire";
export type SoundEffect =
  | "footsteps"
  | "impact"
  | "splash"
  | "bark"
  | "clap"
  | "whoosh"
  | "engine"
  | "steam"
  | "drum";
export type Style =
  | "cinematic"
  | "documentary"
  | "anime"
  | "noir"
  | "neon"
  | "pastel-symmetric"
  | "vintage"
  | "watercolor"
  | "plain"
  // Art styles as picture treatments (issue 11).
  | "van-gogh"
  | "oil-painting"
  | "ukiyo-e"
  | "black-and-white"
  | "pixel-art"
  | "cyberpunk"
  | "cartoon"
  | "surreal"
  | "claymation"
  | "comic"
  | "sketch";

export interface DialogueLine {
  speaker: string;
  text: string;
}

export interface ShotSpec {
  subjects: Subject[];
  action: { kind: ActionKind; text: string };
  setting: { kind: SettingKind; text: string; interior: boolean };
  timeOfDay: TimeOfDay;
  weather: Weather;
  shotType: ShotType;
  camera: {
    movement: CameraMovement;
    direction?: "left" | "right" | "up" | "down" | "in" | "out";
    speed: "slow" | "normal" | "fast";
    /** "dolly from wide to medium shot": the shot type the move ends on. */
    endShot?: ShotType;
    /** "camera following the action": the camera keeps the subject framed. */
    follows: boolean;
  };
  lighting: { kind: Lighting; colors: string[] };
  depthOfField: "shallow" | "deep";
  pacing: Pacing;
  audio: {
    music: { mood: MusicMood; tempo: number } | null;
    ambience: Ambience[];
    effects: SoundEffect[];
    dialogue: DialogueLine[];
  };
  style: Style;
  /** Mood words ("warm", "intimate", "moody", "peaceful"). */
  mood: string[];
  /** Fields the prompt did not specify, filled with defaults. */
  defaulted: string[];
}

type Rule<T> = readonly [RegExp, T];

function first<T>(text: string, rules: readonly Rule<T>[]): T | undefined {
  let best: { at: number; value: T } | undefined;
  for (const [re, value] of rules) {
    const m = re.exec(text);
    if (m && (best === undefined || m.index < best.at)) best = { at: m.index, value };
  }
  return best?.value;
}

/** The highest-priority rule (earliest in the list) that matches anywhere. */
function byPriority<T>(text: string, rules: readonly Rule<T>[]): T | undefined {
  for (const [re, value] of rules) if (re.test(text)) return value;
  return undefined;
}

function all<T>(text: string, rules: readonly Rule<T>[]): T[] {
  const out: T[] = [];
  for (const [re, value] of rules) if (re.test(text) && !out.includes(value)) out.push(value);
  return out;
}

const w = (s: string) => new RegExp(`\\b(?:${s})\\b`, "i");

// ---------------------------------------------------------------- subjects

const subjectRules: readonly Rule<SubjectKind>[] = [
  [
    w("dogs?|pupp(?:y|ies)|golden retrievers?|retrievers?|labradors?|corgis?|terriers?|hounds?"),
    "dog",
  ],
  [w("cats?|kittens?|kitty"), "cat"],
  [w("birds?|seagulls?|pigeons?|eagles?|owls?|parrots?"), "bird"],
  [
    w(
      "bands?|musicians?|saxophon(?:e|ist)s?(?: player)?|sax player|trumpeters?|guitarists?|drummers?|pianists?|violinists?|singers?|dj",
    ),
    "musician",
  ],
  [
    w(
      "person|people|man|men|woman|women|girl|boy|kid|child|children|figure|character|chef|dancer|runner|hiker|skater|astronaut|detective|teacher|friends?|couple|someone|crowd of people|traveller|traveler|knight|robot|she|he|they|me|myself",
    ),
    "person",
  ],
  [w("cups?|mugs?|coffee|teacup|latte|espresso"), "cup"],
  [w("cars?|taxi|bus|truck|motorcycle|bike|bicycle"), "car"],
];

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

const traitWords = w(
  "golden|black|white|brown|red|blue|green|yellow|purple|pink|orange|silver|grey|gray|hooded|tall|small|little|old|young|elderly|fluffy|steaming|giant|tiny|masked|bearded",
);

function subjectLabel(text: string, index: number, matched: string): string {
  // The noun phrase around the match: adjectives just before it, within the same clause.
  const clauseStart = Math.max(text.lastIndexOf(",", index), text.lastIndexOf(".", index)) + 1;
  const before = text.slice(clauseStart, index).trim().split(/\s+/).filter(Boolean).slice(-2);
  const adjectives: string[] = [];
  for (const word of before.reverse()) {
    if (
      !traitWords.test(word) &&
      !/^(little|big|lone|young|old|hooded|friendly|happy)$/i.test(word)
    )
      break;
    adjectives.unshift(word);
  }
  const tail =
    /^\s+(player|dog|puppy|cup|mug)\b/i.exec(text.slice(index + matched.length))?.[0] ?? "";
  return [...adjectives, matched + tail].join(" ").trim();
}

function parseSubjects(text: string): Subject[] {
  const found: { at: number; s: Subject }[] = [];
  for (const [re, kind] of subjectRules) {
    const g = new RegExp(re.source, "gi");
    for (const m of text.matchAll(g)) {
      if (found.some((f) => f.s.kind === kind)) break;
      // "coffee" next to "shop"/"house" is a place, not a cup.
      if (
        kind === "cup" &&
        /^coffee$/i.test(m[0]) &&
        /^\s+(shop|house|bar)/i.test(text.slice(m.index! + m[0].length))
      ) {
        continue;
      }
      const label = subjectLabel(text, m.index!, m[0]);
      const windowText = text.slice(Math.max(0, m.index! - 30), m.index! + m[0].length + 10);
      const traits = [...windowText.matchAll(new RegExp(traitWords.source, "gi"))].map((t) =>
        t[0].toLowerCase(),
      );
      const plural = /s$/i.test(m[0]) && !/ss$/i.test(m[0]);
      const countWord = /\b(two|three|four|five|several|many|a group of|band)\b/i
        .exec(windowText)?.[1]
        ?.toLowerCase();
      const count =
        countWord === "two"
          ? 2
          : countWord === "three"
            ? 3
            : countWord === "four"
              ? 4
              : countWord === "five"
                ? 5
                : countWord || plural
                  ? 3
                  : 1;
      const s: Subject = { kind, label, count, traits: [...new Set(traits)] };
      if (kind === "musician") {
        s.instrument = first(text, instrumentRules) ?? "saxophone";
        if (/\bband\b/i.test(m[0])) s.count = Math.max(3, count);
      }
      found.push({ at: m.index!, s });
      break;
    }
  }
  // A "crowd" in a club/market is ambience and extras, not the subject, when something else leads.
  found.sort((a, b) => a.at - b.at);
  return found.map((f) => f.s);
}

// ---------------------------------------------------------------- action

// In priority order: the most specific, most visible action wins ("playing … catching a frisbee").
const actionRules: readonly Rule<ActionKind>[] = [
  [w("catch(?:es|ing)?|caught|fetch(?:es|ing)?"), "catch"],
  [
    w(
      "walk(?:s|ing)?|stroll(?:s|ing)?|wander(?:s|ing)?|strid(?:es|ing)|follow(?:ing)? a|through the crowd|pac(?:es|ing)",
    ),
    "walk",
  ],
  [w("run(?:s|ning)?|sprint(?:s|ing)?|chas(?:es|ing)|racing|jog(?:s|ging)?"), "run"],
  [w("jump(?:s|ing)?|leap(?:s|ing)?|hop(?:s|ping)?"), "jump"],
  [
    w(
      "perform(?:s|ing)?|play(?:s|ing)? (?:the |a )?(?:sax|saxophone|trumpet|guitar|bass|drums|piano|violin|music|jazz)|drumming|sing(?:s|ing)?",
    ),
    "perform",
  ],
  [w("play(?:s|ing)?|frolic(?:s|king)?|romp(?:s|ing)?"), "play"],
  [w("danc(?:es|ing)"), "dance"],
  [
    w(
      "talk(?:s|ing)?|say(?:s|ing)?|speak(?:s|ing)?|whisper(?:s|ing)?|shout(?:s|ing)?|asks?|tells?|explain(?:s|ing)?",
    ),
    "talk",
  ],
  [w("fl(?:y|ies|ying)|soar(?:s|ing)?|glid(?:es|ing)"), "fly"],
  [w("driv(?:es|ing)|cruis(?:es|ing)"), "drive"],
  [w("steam(?:s|ing)?"), "steam"],
];

// ---------------------------------------------------------------- setting

// In priority order: "street market" is a market, "garden table" a garden.
const settingRules: readonly Rule<SettingKind>[] = [
  [w("market|bazaar|stalls?"), "market"],
  [w("club|bar|lounge|speakeasy"), "club"],
  [w("caf[eé]|coffee shop|restaurant|diner"), "cafe"],
  [w("garden|backyard|lawn|meadow|flower bed"), "garden"],
  [w("park|field"), "park"],
  [w("forest|woods|jungle|trees"), "forest"],
  [w("beach|ocean|sea|shore|waves"), "beach"],
  [w("mountains?|hills?|cliff|valley"), "mountain"],
  [w("street|alley|road|sidewalk|crosswalk"), "street"],
  [w("city|downtown|skyline|rooftop|town"), "city"],
  [w("stage|concert|theater|theatre|arena"), "stage"],
  [w("kitchen|table|desk|counter"), "kitchen"],
  [w("room|office|studio|bedroom|living room|house|hall|library|classroom"), "room"],
  [w("space|galaxy|planet|orbit|moon surface"), "space"],
];

const interiorSettings: SettingKind[] = ["club", "stage", "cafe", "kitchen", "room"];

function settingText(text: string, kind: SettingKind | undefined): string {
  if (!kind) return "";
  const re = settingRules.find(([, k]) => k === kind)![0];
  const m = re.exec(text);
  if (!m) return "";
  // The clause holding the match, from "in/on/at/through" when there is one.
  const start = Math.max(text.lastIndexOf(",", m.index), text.lastIndexOf(".", m.index)) + 1;
  const endComma = text.indexOf(",", m.index);
  const clause = text.slice(start, endComma < 0 ? undefined : endComma).trim();
  const prep = /\b(?:in|on|at|through|down|along|across|inside)\s+(.*)$/i.exec(clause);
  // Only when the preposition introduces the place ("in a sunlit garden"), not "market at night".
  const usePrep = prep && start + prep.index < m.index;
  return (usePrep ? prep[1]! : clause).replace(/^(a|an|the)\s+/i, "").trim();
}

// ---------------------------------------------------------------- time, weather, light

const timeRules: readonly Rule<TimeOfDay>[] = [
  [w("golden hour|sunset|sundown"), "golden-hour"],
  [w("dawn|sunrise|daybreak"), "dawn"],
  [w("morning"), "morning"],
  [w("afternoon"), "afternoon"],
  [w("dusk|twilight|evening|blue hour"), "dusk"],
  [w("night|midnight|nighttime|moonlit|moonlight|starry|dark sky"), "night"],
  [w("midday|noon|daytime"), "day"],
];
/** Hints that imply a time only when no time word is given. */
const impliedTimeRules: readonly Rule<TimeOfDay>[] = [
  [w("neon|streetlights?"), "night"],
  [w("daylight|sunny|sunlit|bright day|sunshine"), "day"],
];

const weatherRules: readonly Rule<Weather>[] = [
  [w("thunder(?:storm)?|storm(?:y)?|lightning"), "storm"],
  [w("rain(?:s|ing|y)?|drizzle|downpour|puddles?|wet"), "rain"],
  [w("snow(?:s|ing|y)?|blizzard|snowflakes?"), "snow"],
  [w("fog(?:gy)?|mist(?:y)?|haze|hazy"), "fog"],
  [w("cloud(?:s|y)|overcast"), "cloudy"],
  [w("clear sky|sunny|sunlit|sunshine|sunlight|blue sky"), "clear"],
];

const lightingRules: readonly Rule<Lighting>[] = [
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

const colorWords = w(
  "blue|purple|pink|magenta|cyan|teal|red|orange|amber|green|gold|golden|warm|cool|violet",
);

// ---------------------------------------------------------------- camera

const shotRules: readonly Rule<ShotType>[] = [
  [w("extreme close[- ]?up|macro"), "extreme-close-up"],
  [w("close[- ]?up|closeup|tight shot"), "close-up"],
  [w("over[- ]the[- ]shoulder"), "over-the-shoulder"],
  [w("medium shot|mid shot|waist[- ]up|medium close[- ]?up"), "medium"],
  [w("extreme wide|establishing shot|aerial|drone shot|bird'?s[- ]eye"), "extreme-wide"],
  [w("wide(?: angle| shot)?|long shot|full shot|wide-angle"), "wide"],
];

const movementRules: readonly Rule<CameraMovement>[] = [
  [w("handheld|hand-held|shaky cam|found footage"), "handheld"],
  [
    w(
      "orbit(?:s|ing)?|rotat(?:es|ing) around|circl(?:es|ing)(?: around)?|360|revolv(?:es|ing)|rotating around",
    ),
    "orbit",
  ],
  [w("tracking|tracks?|follow(?:s|ing)? (?:the|a|an|him|her|them|it)|following shot"), "tracking"],
  [w("dolly(?: in| out| zoom)?|push(?:es)? in|pull(?:s)? (?:back|out)|dollies"), "dolly"],
  [w("zoom(?:s|ing)?(?: in| out)?|crash zoom"), "zoom"],
  [w("pan(?:s|ning)?(?: left| right)?|sweep(?:s|ing)? across"), "pan"],
  [w("tilt(?:s|ing)?(?: up| down)?|crane (?:up|down)"), "tilt"],
  [w("static|locked[- ]off|tripod|still camera|fixed camera"), "static"],
];

// ---------------------------------------------------------------- audio

const musicRules: readonly Rule<MusicMood>[] = [
  [w("jazz(?:y)?|swing|bebop|blues"), "jazz"],
  [w("synthwave|synth|retrowave|electronic|techno|edm"), "synthwave"],
  [w("playful|whimsical|fun|cheerful|bouncy|happy"), "playful"],
  [w("tense|suspense(?:ful)?|thriller|ominous|dark music|horror"), "tense"],
  [w("epic|orchestral|heroic|cinematic score|trailer"), "epic"],
  [w("sad|melancholic|melancholy|somber|mournful"), "sad"],
  [w("upbeat|energetic|pop|dance music|lively"), "upbeat"],
  [w("romantic|love song|tender"), "romantic"],
  [w("calm|peaceful|ambient music|lo-?fi|chill|relaxing|gentle|soft music|piano music"), "calm"],
];

const moodTempo: Record<MusicMood, number> = {
  playful: 118,
  calm: 76,
  jazz: 132,
  synthwave: 100,
  tense: 92,
  epic: 84,
  sad: 68,
  upbeat: 124,
  romantic: 72,
};

const ambienceRules: readonly Rule<Ambience>[] = [
  [w("rain(?:s|ing|y)?|downpour|drizzle|storm"), "rain"],
  [w("crowd(?:s)?|audience|chatter|busy|people talking|bustling|market"), "crowd"],
  [w("city|traffic|street|urban|cars"), "city"],
  [w("birds?|birdsong|chirping"), "birds"],
  [w("nature|forest|garden|park|meadow|leaves|breeze"), "nature"],
  [w("wind(?:y)?|gust"), "wind"],
  [w("waves|ocean|sea|surf|beach"), "waves"],
  [w("fire(?:place)?|crackling|campfire"), "fire"],
  [w("room tone|quiet room|ambient sounds|peaceful ambient|cafe|caf[eé]|club|indoor"), "room"],
];

const effectRules: readonly Rule<SoundEffect>[] = [
  [w("footsteps?|steps|walk(?:s|ing)?|running|runs|stroll(?:s|ing)?|strid(?:es|ing)"), "footsteps"],
  [w("impacts?|hits?|crash(?:es)?|bang|thud|slam|catch(?:es|ing)?|punch|knock"), "impact"],
  [w("splash(?:es|ing)?|puddles?|water|spill"), "splash"],
  [w("bark(?:s|ing)?|woof|dogs?|pupp(?:y|ies)"), "bark"],
  [w("clap(?:s|ping)?|applause"), "clap"],
  [w("whoosh|swoosh|frisbee|throw(?:s|n)?|swing(?:s)?"), "whoosh"],
  [w("engine|motor|car|drive"), "engine"],
  [w("steam(?:ing)?|hiss"), "steam"],
  [w("drums?|drummer|drumming"), "drum"],
];

// ---------------------------------------------------------------- style

const styleRules: readonly Rule<Style>[] = [
  [w("wes anderson|symmetric(?:al)?|pastel"), "pastel-symmetric"],
  [w("anime|manga|studio ghibli|cel[- ]shaded"), "anime"],
  [w("noir|black and white|black-and-white|monochrome"), "noir"],
  [w("cyberpunk|neon[- ]?(?:noir|lit|signs)?|synthwave|vaporwave|blade runner"), "neon"],
  [w("documentary|realism|realistic|handheld|vérité|verite|news footage"), "documentary"],
  [w("vintage|retro|8mm|16mm|super 8|vhs|old film"), "vintage"],
  [w("watercolou?r|painted|painterly|illustration"), "watercolor"],
  [w("cinematic|film grain|filmic|movie|anamorphic"), "cinematic"],
];

const moodWords = w(
  "warm|intimate|moody|peaceful|cozy|cosy|playful|tense|dreamy|eerie|romantic|joyful|melancholic|serene|energetic|mysterious|nostalgic|whimsical|dramatic|calm",
);

// ---------------------------------------------------------------- dialogue

const quoteRe = /["“”«»]([^"“”«»]{1,400})["“”«»]/g;

function parseDialogue(text: string, subjects: Subject[]): DialogueLine[] {
  const lines: DialogueLine[] = [];
  for (const m of text.matchAll(quoteRe)) {
    const line = m[1]!.trim();
    if (!line) continue;
    const before = text.slice(Math.max(0, m.index! - 60), m.index!);
    const after = text.slice(m.index! + m[0].length, m.index! + m[0].length + 40);
    let speaker =
      /([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?|(?:the|a|an)\s+[\w-]+(?:\s+[\w-]+)?)\s*(?:says|said|asks|asked|whispers|shouts|yells|replies|tells \w+|exclaims|calls out|sings)\s*[:,]?\s*$/i.exec(
        before,
      )?.[1] ??
      /([A-Z][\w'-]*|(?:the|a|an)\s+[\w-]+)\s*:\s*$/.exec(before)?.[1] ??
      /^\s*,?\s*(?:says|said|asks|whispers|shouts|replies|exclaims)\s+((?:the|a|an)\s+[\w-]+|[A-Z][\w'-]*)/i.exec(
        after,
      )?.[1];
    speaker = speaker?.replace(/^(the|a|an)\s+/i, "").trim();
    lines.push({
      speaker:
        speaker ||
        subjects.find((s) => s.kind === "person" || s.kind === "musician")?.label ||
        "narrator",
      text: line,
    });
  }
  return lines;
}

/** Colour words in the clauses that talk about light ("moody blue and purple lighting"). */
function lightColors(text: string): string[] {
  const clauses = text
    .split(/[,.;]/)
    .filter((c) =>
      /\b(light|lighting|lit|glow|glowing|tones?|hues?|neon|sunlight|palette)\b/i.test(c),
    );
  const found = clauses.flatMap((c) =>
    [...c.matchAll(new RegExp(colorWords.source, "gi"))].map((m) => m[0].toLowerCase()),
  );
  return [...new Set(found)];
}

/** Bracketed template placeholders ("[Shot type]") say nothing about the shot: drop them. */
function stripPlaceholders(s: string): string {
  return s.replace(/\[[^\]]{1,60}\]/g, " ");
}

// ---------------------------------------------------------------- main

export function understand(prompt: StructuredPrompt): ShotSpec {
  const sec = prompt.sections ?? {};
  const all_ = stripPlaceholders([prompt.text, ...Object.values(sec)].filter(Boolean).join(". "));
  const part = (name: keyof typeof sec) => (sec[name] ? stripPlaceholders(sec[name]!) : "");
  // A structured section wins for its own field; the whole prompt is the fallback.
  const pick = <T>(section: string, rules: readonly Rule<T>[]): T | undefined =>
    (section ? first(section, rules) : undefined) ?? first(all_, rules);
  // Quoted dialogue and camera jargon ("depth of field") must not read as places or actions.
  const noQuotes = all_.replace(quoteRe, " ").replace(/\bdepth of field\b/gi, "focus");
  const defaulted: string[] = [];
  const orDefault = <T>(field: string, v: T | undefined, d: T): T => {
    if (v === undefined) {
      defaulted.push(field);
      return d;
    }
    return v;
  };

  let subjects = parseSubjects(part("subject") || noQuotes);
  if (subjects.length === 0 && part("subject")) subjects = parseSubjects(noQuotes);
  if (subjects.length === 0) {
    defaulted.push("subject");
    subjects = [{ kind: "person", label: "a person", count: 1, traits: [] }];
  }
  const dialogue = parseDialogue(all_, subjects);

  const actionText = part("action") || noQuotes;
  let actionKind = byPriority(actionText, actionRules);
  if (!actionKind && dialogue.length > 0) actionKind = "talk";
  if (!actionKind && subjects[0]!.kind === "cup") actionKind = "steam";
  if (!actionKind && subjects[0]!.kind === "musician") actionKind = "perform";
  if (actionKind === "play" && subjects[0]!.kind === "musician") actionKind = "perform";
  const action = {
    kind: orDefault("action", actionKind, "idle" as ActionKind),
    text: actionText.slice(0, 120),
  };

  const named = dialogue.find((d) => /^[A-Z][a-z]/.test(d.speaker))?.speaker;
  const lead = subjects.find((s) => s.kind === "person" || s.kind === "musician");
  if (named && lead && /^(she|he|they|a person|person|someone|figure)$/i.test(lead.label))
    lead.name = named;

  const settingSrc = (part("setting") || noQuotes).replace(/\bdepth of field\b/gi, "focus");
  let settingKind = byPriority(settingSrc, settingRules);
  if (!settingKind && subjects[0]!.kind === "cup") settingKind = "kitchen";
  const setting = {
    kind: orDefault("setting", settingKind, "park" as SettingKind),
    text: settingText(settingSrc, settingKind),
    interior: false,
  };
  setting.interior = interiorSettings.includes(setting.kind);

  const lightSrc = part("lighting");
  let timeOfDay = pick(lightSrc || part("setting"), timeRules);
  let lightingKind =
    (lightSrc ? byPriority(lightSrc, lightingRules) : undefined) ?? byPriority(all_, lightingRules);
  if (!timeOfDay && lightingKind === "golden") timeOfDay = "golden-hour";
  if (!timeOfDay && lightingKind === "neon") timeOfDay = "night";
  if (!timeOfDay && setting.kind === "club") timeOfDay = "night";
  timeOfDay ??= first(all_, impliedTimeRules);
  timeOfDay = orDefault("timeOfDay", timeOfDay, setting.interior ? "day" : "afternoon");
  if (!lightingKind) {
    if (setting.kind === "club" || setting.kind === "stage") lightingKind = "spotlight";
    else if (timeOfDay === "night") lightingKind = "moody";
    else if (timeOfDay === "golden-hour") lightingKind = "golden";
  }
  const lighting = {
    kind: orDefault("lighting", lightingKind, "natural" as Lighting),
    colors: lightColors(lightSrc || all_),
  };

  const weatherFound = pick(part("setting"), weatherRules);
  const weather: Weather = weatherFound ?? "clear";
  if (!weatherFound && !setting.interior) defaulted.push("weather");

  const camSrc = part("camera");
  let movement = pick(camSrc, movementRules);
  let shotType = pick(camSrc, shotRules);
  const dollyRange =
    /from (wide|medium|close[- ]?up)(?: shot)? to (wide|medium|close[- ]?up)/i.exec(camSrc || all_);
  const toShot = (s: string): ShotType =>
    /close/i.test(s) ? "close-up" : /medium/i.test(s) ? "medium" : "wide";
  if (dollyRange) shotType = toShot(dollyRange[1]!);
  if (!movement && /\bcamera (?:following|follows)\b/i.test(camSrc || all_)) movement = "tracking";
  if (/dolly zoom|vertigo/i.test(camSrc || all_)) movement = "dolly";
  const dirText = camSrc || all_;
  const direction: ShotSpec["camera"]["direction"] =
    /\b(?:tracks?|pans?|moves?|slides?|trucks?)\s+left\b|\bto the left\b/i.test(dirText)
      ? "left"
      : /\b(?:tracks?|pans?|moves?|slides?|trucks?)\s+right\b|\bto the right\b/i.test(dirText)
        ? "right"
        : /\btilt(?:s|ing)? up\b|\bcrane up\b/i.test(dirText)
          ? "up"
          : /\btilt(?:s|ing)? down\b|\bcrane down\b/i.test(dirText)
            ? "down"
            : /\b(?:zoom(?:s|ing)?|dolly|push(?:es)?) in\b|\bfrom wide to (?:medium|close)/i.test(
                  dirText,
                )
              ? "in"
              : /\b(?:zoom(?:s|ing)?|dolly|pull(?:s)?) (?:out|back)\b|\bto wide\b/i.test(dirText)
                ? "out"
                : undefined;
  const camera: ShotSpec["camera"] = {
    movement: orDefault("camera", movement, "static" as CameraMovement),
    speed: /\b(slow(?:ly)?|gentle|gently|subtle)\b/i.test(dirText)
      ? "slow"
      : /\b(fast|quick(?:ly)?|rapid|whip|crash)\b/i.test(dirText)
        ? "fast"
        : "normal",
    follows: /\bfollow(?:s|ing)?\b/i.test(dirText),
  };
  if (direction) camera.direction = direction;
  if (dollyRange) camera.endShot = toShot(dollyRange[2]!);
  if ((camera.movement === "dolly" || camera.movement === "zoom") && !camera.direction)
    camera.direction = "in";
  shotType = orDefault(
    "shotType",
    shotType,
    subjects[0]!.kind === "cup" ? "close-up" : camera.movement === "tracking" ? "medium" : "wide",
  );

  const pacing: Pacing = /\bslow[- ]?(?:motion|mo)\b/i.test(all_)
    ? "slow-motion"
    : /\btime[- ]?lapse\b|\bhyperlapse\b/i.test(all_)
      ? "time-lapse"
      : "normal";

  const audioSrc = part("audio") || noQuotes;
  const wantsNoMusic = /\bno music\b|\bwithout music\b|\bsilent\b/i.test(audioSrc);
  let mood = first(audioSrc, musicRules);
  const mentionsMusic = /\bmusic|score|soundtrack|song|beat|melody|tune|jazz|synthwave\b/i.test(
    audioSrc,
  );
  if (!mood && mentionsMusic) mood = first(all_, musicRules) ?? "upbeat";
  if (!mood && !wantsNoMusic && !mentionsMusic) {
    // A prompt without music words still gets a quiet bed matching its style, as a default.
    defaulted.push("music");
    mood = /noir|tense|night/i.test(all_) ? "tense" : "calm";
  }
  const bpm = /\b(\d{2,3})\s*bpm\b/i.exec(audioSrc);
  const music =
    wantsNoMusic || !mood
      ? null
      : { mood, tempo: bpm ? Math.min(200, Math.max(50, Number(bpm[1]))) : moodTempo[mood] };

  let ambience = all(audioSrc, ambienceRules);
  if (audioSrc !== all_)
    for (const a of all(noQuotes, ambienceRules)) if (!ambience.includes(a)) ambience.push(a);
  if (weather === "rain" || weather === "storm")
    if (!ambience.includes("rain")) ambience.unshift("rain");
  if (ambience.length === 0) {
    defaulted.push("ambience");
    ambience = setting.interior
      ? ["room"]
      : ["city", "street", "market"].includes(setting.kind)
        ? ["city"]
        : ["nature"];
  }
  const effects = all(noQuotes, effectRules);
  if (["walk", "run"].includes(action.kind) && !effects.includes("footsteps"))
    effects.push("footsteps");
  if (action.kind === "catch" && !effects.includes("impact")) effects.push("impact");
  if (
    weather === "rain" &&
    (action.kind === "walk" || action.kind === "run") &&
    !effects.includes("splash")
  )
    effects.push("splash");

  const styleSrc = part("style") || all_;
  // The most specific reference wins: "Cinematic film grain, Wes Anderson style" is Wes Anderson.
  let style = byPriority(styleSrc, styleRules);
  if (!style && lighting.kind === "neon") style = "neon";
  const styleV = orDefault("style", style, "cinematic" as Style);

  const depthOfField: ShotSpec["depthOfField"] =
    /shallow depth|bokeh|shallow focus|blurred background/i.test(all_) ||
    shotType === "close-up" ||
    shotType === "extreme-close-up"
      ? "shallow"
      : "deep";

  const mood_ = [
    ...new Set(
      [...all_.matchAll(new RegExp(moodWords.source, "gi"))].map((m) => m[0].toLowerCase()),
    ),
  ];

  return {
    subjects,
    action,
    setting,
    timeOfDay,
    weather,
    shotType,
    camera,
    lighting,
    depthOfField,
    pacing,
    audio: { music, ambience, effects, dialogue },
    style: styleV,
    mood: mood_,
    defaulted,
  };
}
