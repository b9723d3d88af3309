import {
  MAX_PROMPT_CHARS,
  type PromptSectionName,
  promptSectionNames,
} from "../generation/request.ts";
import { findPlaceholders } from "./templates.ts";

/**
 * The prompt checker: flags vague prompts (the product reference's "terrible prompts") and missing
 * sections of the formula Subject + Action + Setting + Camera + Lighting + Audio + Style, with a
 * specific suggestion for each finding. Pure, synchronous and allocation-light so that the editor
 * can run it on every keystroke (a 4,000-character prompt checks in about a millisecond).
 *
 * It is a heuristic, not a parser: it looks for the vocabulary the reference teaches (shot types,
 * camera moves, lighting terms, sound, style references) and for the words that make prompts vague.
 */

export type CheckSeverity = "error" | "warning" | "tip";

export type PromptIssueCode =
  | "empty"
  | "too-long"
  | "near-limit"
  | "too-short"
  | "meta-request"
  | "vague-word"
  | "generic-subject"
  | "generic-audio"
  | "missing-section"
  | "placeholder"
  | "risky-detail";

export interface PromptIssue {
  code: PromptIssueCode;
  severity: CheckSeverity;
  /** The section the issue is about, when there is one. */
  section?: PromptSectionName;
  /** What is wrong, in one sentence. */
  message: string;
  /** What to do instead, with an example. */
  suggestion: string;
  /** Character range in the prompt text the issue points at (for underlining), when it has one. */
  from?: number;
  to?: number;
}

export interface SectionFinding {
  present: boolean;
  /** Written explicitly (a "Camera: …" line or a structured section), not inferred from wording. */
  explicit: boolean;
  /** Up to a few matched words or phrases that made the checker count the section as present. */
  evidence: string[];
}

export type PromptVerdict = "empty" | "too-long" | "vague" | "needs-work" | "good";

export interface PromptCheck {
  verdict: PromptVerdict;
  /** 0–100: share of the formula covered, minus penalties for vagueness. */
  score: number;
  chars: number;
  words: number;
  limit: number;
  sections: Record<PromptSectionName, SectionFinding>;
  issues: PromptIssue[];
}

export type PromptInput =
  | string
  | { text?: string; sections?: Partial<Record<PromptSectionName, string | undefined>> };

export const sectionLabels: Record<PromptSectionName, string> = {
  subject: "Subject",
  action: "Action",
  setting: "Setting",
  camera: "Camera",
  lighting: "Lighting",
  audio: "Audio",
  style: "Style",
};

/** Missing-section suggestions, written from the reference's "Advanced Prompting Techniques". */
const missingSuggestion: Record<PromptSectionName, { message: string; suggestion: string }> = {
  subject: {
    message: "No clear subject: who or what is on screen?",
    suggestion:
      "Start with a concrete subject and one distinctive detail, e.g. “a golden retriever puppy” or “a hooded figure in a yellow raincoat”.",
  },
  action: {
    message: "Nothing happens: the prompt has no action or motion.",
    suggestion:
      "Add one clear action with a specific verb, e.g. “catching a frisbee mid-air”, “pouring coffee”, “walking through the crowd”.",
  },
  setting: {
    message: "No setting: where does this take place?",
    suggestion:
      "Name the location and its texture, e.g. “in a sunlit garden”, “a rain-soaked street market at night”, “on a wooden kitchen table”.",
  },
  camera: {
    message: "No camera direction.",
    suggestion:
      "Add a shot type and a move, e.g. “close-up”, “wide angle”, “over-the-shoulder”; “camera tracks left”, “slow dolly in”, “static shot”.",
  },
  lighting: {
    message: "No lighting described.",
    suggestion:
      "Describe the light, e.g. “golden hour”, “soft diffused light”, “high contrast neon”, “morning sunlight through a window”.",
  },
  audio: {
    message: "No audio: the video is rendered with its sound, so say what we hear.",
    suggestion:
      "Describe the soundscape, e.g. “live jazz with crowd ambience”, “rain on a tin roof”, “playful music in the background”.",
  },
  style: {
    message: "No style or mood.",
    suggestion:
      "Add a style reference or mood, e.g. “cinematic film grain”, “documentary realism with handheld camera”, “anime aesthetic with vibrant colors”.",
  },
};

/** Words that make a prompt vague, each with the concrete alternative to suggest. */
const vagueWords: Record<string, string> = {
  cool: "“cool” is a reaction, not a picture. Say what makes it cool: a look (“neon-lit, high contrast”), a motion (“slow-motion flip”) or a style (“anime aesthetic”).",
  awesome:
    "“awesome” doesn't describe anything visible. Name the quality you mean: scale, speed, light, color.",
  amazing:
    "“amazing” doesn't describe anything visible. Name the quality you mean: scale, speed, light, color.",
  nice: "“nice” is too vague to film. Describe the light, colors or mood you have in mind.",
  good: "“good” is too vague to film. Describe the light, colors or mood you have in mind.",
  great: "“great” is too vague to film. Describe the light, colors or mood you have in mind.",
  stuff:
    "Name the objects or actions instead of “stuff”, e.g. “juggling three oranges” rather than “doing stuff”.",
  things: "Name the things: “a stack of vinyl records”, “paper lanterns”, not “things”.",
  thing: "Name the thing: what is it made of, what size, what color?",
  something:
    "Replace “something” with a concrete subject: who or what is on screen, and what are they doing?",
  anything: "Replace “anything” with a concrete subject: who or what is on screen?",
  interesting:
    "Say what should hold attention: an unexpected action, a striking light, a reveal, e.g. “a paper boat sailing down a flooded street”.",
  doing:
    "Use a specific verb instead of “doing”: “skateboarding down a hill”, “pouring coffee”, “juggling”.",
  random: "“random” gives the model nothing to follow. Pick the specific thing you want.",
  whatever: "“whatever” gives the model nothing to follow. Pick the specific thing you want.",
  fun: "Show the fun instead of naming it: “kids splashing in puddles”, “a dog chasing bubbles”.",
  beautiful:
    "“beautiful” is subjective. Say what makes it beautiful: “golden hour light”, “pastel colors”, “mist over still water”.",
  etc: "“etc.” leaves the rest to chance. List what you want, or leave it out.",
};

/** Subject words too generic to picture on their own. */
const genericSubjects = new Set([
  "person",
  "people",
  "someone",
  "somebody",
  "guy",
  "thing",
  "things",
  "stuff",
  "something",
  "anything",
  "object",
  "objects",
]);

const metaWords = new Set(["video", "videos", "clip", "clips", "movie", "film", "animation"]);
const metaVerbs = new Set(["make", "create", "generate", "produce", "render", "give", "show"]);

const stopWords = new Set(
  `a an the of in on at with and or but to from by for into onto through across over under as is are was were be been being
   it its their his her them they he she we you i me my your our this that these those while then than very so such
   some any all both each every up down around behind between toward towards near like has have had who which where when
   what more most there here just also only no not out off about after before again few many much other own same too can
   will would should could now mid air one two three four five six seven eight nine ten way kind sort lot lots bit really`
    .split(/\s+/)
    .filter(Boolean),
);

function phraseRegex(list: readonly string[]): RegExp {
  const alts = [...list]
    .sort((a, b) => b.length - a.length)
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/[ -]/g, "[\\s-]?"));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join("|")})(?![\\p{L}\\p{N}])`, "giu");
}

/** Vocabulary that shows a section is covered. Kept close to the reference's own wording. */
const lexicon: Record<Exclude<PromptSectionName, "subject" | "action">, RegExp> = {
  camera: phraseRegex([
    "camera",
    "shot",
    "shots",
    "close-up",
    "closeup",
    "extreme close-up",
    "wide angle",
    "wide-angle",
    "wide",
    "medium",
    "long shot",
    "establishing",
    "over-the-shoulder",
    "pov",
    "point of view",
    "first person",
    "aerial",
    "drone",
    "bird's-eye",
    "top-down",
    "low angle",
    "high angle",
    "eye level",
    "dutch angle",
    "angle",
    "tracking",
    "tracks",
    "dolly",
    "dollies",
    "pan",
    "pans",
    "panning",
    "tilt",
    "tilts",
    "zoom",
    "zooms",
    "dolly zoom",
    "crane",
    "handheld",
    "steadicam",
    "gimbal",
    "static",
    "locked-off",
    "push in",
    "pushes in",
    "pull back",
    "pulls back",
    "orbit",
    "orbits",
    "orbiting",
    "rotating around",
    "lens",
    "macro",
    "fisheye",
    "anamorphic",
    "35mm",
    "50mm",
    "85mm",
    "depth of field",
    "bokeh",
    "rack focus",
    "framing",
    "framed",
    "slow-motion",
    "slow motion",
    "time-lapse",
    "timelapse",
    "hyperlapse",
    "follows",
    "following the",
  ]),
  lighting: phraseRegex([
    "lighting",
    "light",
    "lights",
    "lit",
    "sunlit",
    "sunlight",
    "sunbeams",
    "sunset",
    "sunrise",
    "golden hour",
    "blue hour",
    "moonlight",
    "moonlit",
    "candlelight",
    "candlelit",
    "firelight",
    "neon",
    "spotlight",
    "spotlit",
    "backlit",
    "backlighting",
    "rim light",
    "silhouette",
    "silhouetted",
    "shadows",
    "shadow",
    "high contrast",
    "low key",
    "high key",
    "diffused",
    "glow",
    "glowing",
    "dim",
    "dimly",
    "bright",
    "harsh",
    "overcast",
    "daylight",
    "twilight",
    "dusk",
    "dawn",
    "night",
    "nighttime",
    "midday",
    "noon",
    "morning",
    "afternoon",
    "evening",
    "lanterns",
    "flickering",
    "chiaroscuro",
  ]),
  audio: phraseRegex([
    "music",
    "musical",
    "sound",
    "sounds",
    "soundtrack",
    "soundscape",
    "score",
    "audio",
    "ambience",
    "ambiance",
    "ambient",
    "dialogue",
    "dialog",
    "voice",
    "voices",
    "voiceover",
    "voice-over",
    "narration",
    "narrator",
    "says",
    "whispers",
    "whispering",
    "speaks",
    "speaking",
    "singing",
    "sings",
    "song",
    "beat",
    "beats",
    "drums",
    "piano",
    "guitar",
    "violin",
    "cello",
    "orchestra",
    "orchestral",
    "synthwave",
    "jazz",
    "hip-hop",
    "lo-fi",
    "techno",
    "classical",
    "silence",
    "silent",
    "hum",
    "humming",
    "footsteps",
    "birdsong",
    "chirping",
    "crackling",
    "rumble",
    "rumbling",
    "echo",
    "echoes",
    "noise",
    "applause",
    "laughter",
    // What things sound like: verbs of sound count as audio ("waves crash", "gulls cry").
    "crash",
    "crashes",
    "crashing",
    "cry",
    "cries",
    "crying",
    "roar",
    "roars",
    "roaring",
    "bark",
    "barks",
    "barking",
    "howl",
    "howls",
    "howling",
    "chirp",
    "chirps",
    "meow",
    "meows",
    "purr",
    "purring",
    "buzz",
    "buzzing",
    "ring",
    "rings",
    "ringing",
    "chime",
    "chimes",
    "whistle",
    "whistles",
    "whistling",
    "thunder",
    "thunderclap",
    "honk",
    "honking",
    "sizzle",
    "sizzling",
    "hiss",
    "hissing",
    "rustle",
    "rustling",
    "patter",
    "pattering",
    "splash",
    "splashes",
    "splashing",
    "boom",
    "booming",
    "clatter",
    "clattering",
    "creak",
    "creaking",
    "drip",
    "dripping",
    "tick",
    "ticking",
    "shout",
    "shouts",
    "shouting",
    "scream",
    "screams",
    "laugh",
    "laughs",
    "laughing",
    "cheer",
    "cheers",
    "cheering",
    "murmur",
    "chatter",
    "engine",
    "engines",
    "siren",
    "sirens",
    "bells",
    "hooves",
    "sfx",
    "sound effects",
  ]),
  style: phraseRegex([
    "style",
    "styled",
    "stylized",
    "cinematic",
    "film grain",
    "grain",
    "grainy",
    "anime",
    "animated",
    "cartoon",
    "documentary",
    "realism",
    "realistic",
    "photorealistic",
    "hyperrealistic",
    "aesthetic",
    "mood",
    "moody",
    "atmosphere",
    "atmospheric",
    "vibe",
    "tone",
    "palette",
    "color grade",
    "colors",
    "colours",
    "vibrant",
    "pastel",
    "muted",
    "saturated",
    "desaturated",
    "monochrome",
    "black and white",
    "noir",
    "vintage",
    "retro",
    "cyberpunk",
    "steampunk",
    "surreal",
    "dreamlike",
    "dreamy",
    "whimsical",
    "epic",
    "gritty",
    "minimalist",
    "intimate",
    "peaceful",
    "serene",
    "calm",
    "eerie",
    "playful",
    "cozy",
    "melancholic",
    "nostalgic",
    "romantic",
    "dramatic",
    "tense",
    "joyful",
    "smile",
    "smiling",
    "expression",
    "emotion",
    "emotional",
    "happy",
    "sad",
    "angry",
    "anxious",
    "determined",
    "contented",
    "wistful",
    "hopeful",
    "lonely",
    "tearful",
    "in the style of",
    "wes anderson",
    "ghibli",
    "pixar",
    "vhs",
    "16mm",
    "8mm",
    "polaroid",
    "watercolor",
    "claymation",
    "stop-motion",
    "3d render",
  ]),
  setting: phraseRegex([
    "garden",
    "park",
    "street",
    "streets",
    "alley",
    "market",
    "city",
    "town",
    "village",
    "club",
    "bar",
    "cafe",
    "café",
    "restaurant",
    "diner",
    "kitchen",
    "bedroom",
    "living room",
    "room",
    "office",
    "studio",
    "warehouse",
    "factory",
    "forest",
    "woods",
    "jungle",
    "desert",
    "beach",
    "ocean",
    "sea",
    "lake",
    "river",
    "stream",
    "waterfall",
    "mountain",
    "mountains",
    "hill",
    "hills",
    "field",
    "meadow",
    "farm",
    "valley",
    "canyon",
    "cave",
    "island",
    "harbour",
    "harbor",
    "port",
    "dock",
    "pier",
    "bridge",
    "rooftop",
    "highway",
    "road",
    "subway",
    "train",
    "station",
    "airport",
    "stadium",
    "arena",
    "stage",
    "library",
    "classroom",
    "school",
    "church",
    "temple",
    "castle",
    "palace",
    "hospital",
    "laboratory",
    "spaceship",
    "space station",
    "outer space",
    "planet",
    "underwater",
    "reef",
    "arctic",
    "table",
    "desk",
    "window",
    "backyard",
    "house",
    "apartment",
    "shop",
    "store",
    "tunnel",
    "ruins",
    "skyline",
    "sky",
    "landscape",
    "neighborhood",
    "lobby",
    "hallway",
    "corridor",
    "garage",
    "playground",
    "pool",
    "indoors",
    "outdoors",
    "interior",
    "exterior",
    "rain",
    "raining",
    "rainy",
    "puddles",
    "fog",
    "foggy",
    "mist",
    "misty",
    "snow",
    "snowy",
    "storm",
    "stormy",
  ]),
};

/** Common verbs of motion and action (third person), besides -ing forms. */
const actionVerbs = new Set(
  `runs walks jumps dances flies swims falls rises spins turns looks smiles laughs cries drives rides eats drinks plays sings
   fights chases climbs catches throws opens pours explodes melts grows blooms waves moves floats drifts crashes splashes
   glides sprints kneels sits stands leans reaches grabs kicks hugs kisses twirls bursts emerges wanders strolls hovers
   lands leaps dives rolls slides skates surfs paints cooks types reads writes builds breaks shatters burns sways bounces
   run walk jump dance fly swim fall rise spin turn race chase climb catch throw pour explode melt grow bloom`
    .split(/\s+/)
    .filter(Boolean),
);

/** Words ending in -ing that are not actions (nouns, adjectives, camera moves). */
const notActionIng = new Set(
  `lighting morning evening ceiling building clothing wedding pudding during something nothing anything everything
   thing king ring string spring wing sibling darling awning icing bedding stuffing setting timing pacing framing ending
   beginning recording drawing meeting interesting amazing stunning breathtaking boring exciting charming inviting
   relaxing calming soothing striking fascinating compelling engaging captivating intriguing appealing outstanding
   matching shocking surprising thrilling tracking panning zooming tilting dollying doing living dining sibling
   frosting railing paneling lightning evening upcoming`
    .split(/\s+/)
    .filter(Boolean),
);

const wordRe = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;
const labelLineRe =
  /^[ \t]*(subject|action|setting|camera|lighting|audio|style)[ \t]*:[ \t]*(.*)$/gim;

interface Token {
  word: string;
  lower: string;
  from: number;
  to: number;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(wordRe)) {
    out.push({ word: m[0], lower: m[0].toLowerCase(), from: m.index, to: m.index + m[0].length });
  }
  return out;
}

function emptyFindings(): Record<PromptSectionName, SectionFinding> {
  return Object.fromEntries(
    promptSectionNames.map((n) => [n, { present: false, explicit: false, evidence: [] }]),
  ) as unknown as Record<PromptSectionName, SectionFinding>;
}

function addEvidence(f: SectionFinding, e: string): void {
  f.present = true;
  if (f.evidence.length < 4 && !f.evidence.includes(e)) f.evidence.push(e);
}

/** Offsets covered by lexicon matches, so that subject detection can skip those words. */
function markRanges(text: string, re: RegExp, mask: Uint8Array, onMatch: (m: string) => void) {
  re.lastIndex = 0;
  for (const m of text.matchAll(re)) {
    // A phrase already claimed by an earlier section ("depth of field" is camera, not a field).
    if (mask[m.index]) continue;
    onMatch(m[0]);
    mask.fill(1, m.index, m.index + m[0].length);
  }
}

/** Checks a prompt. About a millisecond for a 4,000-character prompt. */
export function checkPrompt(input: PromptInput): PromptCheck {
  const text = typeof input === "string" ? input : (input.text ?? "");
  const explicitSections = typeof input === "string" ? {} : (input.sections ?? {});
  const sections = emptyFindings();
  const issues: PromptIssue[] = [];

  // Structured sections, then "Label: value" lines typed in the free text.
  const explicitText: string[] = [];
  for (const name of promptSectionNames) {
    const v = explicitSections[name]?.trim();
    if (v) {
      sections[name].explicit = true;
      addEvidence(sections[name], v.slice(0, 40));
      explicitText.push(v);
    }
  }
  const labelRanges: [number, number][] = [];
  labelLineRe.lastIndex = 0;
  for (const m of text.matchAll(labelLineRe)) {
    const name = m[1]!.toLowerCase() as PromptSectionName;
    // The label itself ("Audio:") is not evidence of its section.
    labelRanges.push([m.index, m.index + m[0].indexOf(":") + 1]);
    // A line whose value is only unfilled placeholders ("Camera: [camera movement]") says nothing.
    const v = m[2]!
      .replace(/\[[^\][\n]{1,60}\]/g, " ")
      .replace(/[\s,.;:–-]+/g, " ")
      .trim();
    if (v) {
      sections[name].explicit = true;
      addEvidence(sections[name], v.slice(0, 40));
    }
  }

  const all = explicitText.length ? `${text}\n${explicitText.join("\n")}` : text;
  const chars = all.length;
  const tokens = tokenize(text);
  const allTokens = explicitText.length ? tokenize(all) : tokens;
  const words = allTokens.length;

  if (all.trim().length === 0) {
    issues.push({
      code: "empty",
      severity: "warning",
      message: "The prompt is empty.",
      suggestion:
        "Follow the formula Subject + Action + Setting + Camera + Lighting + Audio + Style, or start from a template.",
    });
    return {
      verdict: "empty",
      score: 0,
      chars,
      words,
      limit: MAX_PROMPT_CHARS,
      sections,
      issues,
    };
  }

  if (chars > MAX_PROMPT_CHARS) {
    issues.push({
      code: "too-long",
      severity: "error",
      message: `The prompt is ${chars.toLocaleString("en-US")} characters; the limit is ${MAX_PROMPT_CHARS.toLocaleString("en-US")}.`,
      suggestion:
        "Cut repetition and keep one clear focus per shot; split a long scene into several storyboard shots.",
      ...(MAX_PROMPT_CHARS < text.length ? { from: MAX_PROMPT_CHARS, to: text.length } : {}),
    });
  } else if (chars > MAX_PROMPT_CHARS * 0.9) {
    issues.push({
      code: "near-limit",
      severity: "tip",
      message: `${(MAX_PROMPT_CHARS - chars).toLocaleString("en-US")} characters left before the ${MAX_PROMPT_CHARS.toLocaleString("en-US")}-character limit.`,
      suggestion: "Long prompts dilute focus: simple, single-focus scenes give better results.",
    });
  }

  // Lexicon sections, over the free text; remember which characters they cover.
  const mask = new Uint8Array(all.length);
  for (const [from, to] of labelRanges) mask.fill(1, from, to);
  // Unfilled placeholders are not evidence either: "[lighting description]" names a section it
  // does not fill (they are reported as placeholders below).
  const placeholders = findPlaceholders(all);
  for (const p of placeholders) mask.fill(1, p.from, p.to);
  for (const name of ["camera", "lighting", "audio", "style", "setting"] as const) {
    markRanges(all, lexicon[name], mask, (m) => addEvidence(sections[name], m.toLowerCase()));
  }

  // Action: -ing forms and common verbs, ignoring nouns and adjectives that end in -ing.
  for (const t of allTokens) {
    const isIng =
      t.lower.length > 5 && t.lower.endsWith("ing") && !notActionIng.has(t.lower) && !mask[t.from];
    const inPlaceholder = placeholders.some((p) => t.from >= p.from && t.from < p.to);
    if ((isIng || actionVerbs.has(t.lower)) && !inPlaceholder)
      addEvidence(sections.action, t.lower);
  }

  // Meta requests: "Make a … video" describes the request, not the shot.
  const first = tokens[0]?.lower;
  const metaToken = tokens.find((t) => metaWords.has(t.lower));
  if (first && metaVerbs.has(first) && metaToken) {
    issues.push({
      code: "meta-request",
      severity: "warning",
      message: "This asks for a video instead of describing one.",
      suggestion:
        "Write what the camera sees, like a director: “A golden retriever puppy catching a frisbee in a sunlit garden, slow-motion…”.",
      from: tokens[0]!.from,
      to: metaToken.to,
    });
  }

  // Vague words, each with its own suggestion; once per word.
  const seenVague = new Set<string>();
  let vagueCount = 0;
  for (const t of tokens) {
    const key = t.lower.replace(/['’].*$/, "");
    const s = vagueWords[key];
    if (!s || seenVague.has(key)) continue;
    seenVague.add(key);
    vagueCount++;
    issues.push({
      code: "vague-word",
      severity: "warning",
      message: `“${t.word}” is vague.`,
      suggestion: s,
      from: t.from,
      to: t.to,
    });
  }

  // Subject: concrete content words that are not section vocabulary, stop words or vague words.
  const generic: Token[] = [];
  for (const t of allTokens) {
    if (mask[t.from]) continue;
    const w = t.lower;
    if (genericSubjects.has(w)) {
      generic.push(t);
      continue;
    }
    if (
      stopWords.has(w) ||
      vagueWords[w] ||
      metaWords.has(w) ||
      metaVerbs.has(w) ||
      /^\d/.test(w) ||
      w.endsWith("ly") ||
      w.length < 3 ||
      actionVerbs.has(w) ||
      (w.endsWith("ing") && !notActionIng.has(w))
    ) {
      continue;
    }
    addEvidence(sections.subject, w);
  }
  if (!sections.subject.present && generic.length > 0) {
    const g = generic[0]!;
    issues.push({
      code: "generic-subject",
      severity: "warning",
      section: "subject",
      message: `“${g.word}” is too generic to picture.`,
      suggestion:
        "Describe who or what exactly: age, look, clothing, one distinctive detail, e.g. “a teenage skater in a red hoodie”.",
      ...(g.to <= text.length ? { from: g.from, to: g.to } : {}),
    });
  }

  // Generic audio: "music" or "sound" with nothing saying which.
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!["music", "sound", "sounds", "audio"].includes(t.lower)) continue;
    const prev = tokens[i - 1]?.lower;
    const next = tokens[i + 1]?.lower;
    const qualified =
      (prev !== undefined && !stopWords.has(prev) && !metaWords.has(prev)) ||
      next === "of" ||
      next === "like";
    if (!qualified) {
      issues.push({
        code: "generic-audio",
        severity: "warning",
        section: "audio",
        message: `“${t.word}” alone doesn't say what we hear.`,
        suggestion:
          "Name a genre, instrument, tempo or mood: “upbeat synthwave”, “soft solo piano”, “live jazz with crowd ambience”.",
        from: t.from,
        to: t.to,
      });
      break;
    }
  }

  // Placeholders left from a template.
  for (const p of findPlaceholders(text)) {
    issues.push({
      code: "placeholder",
      severity: "warning",
      message: `The placeholder [${p.label}] is still empty.`,
      suggestion: `Replace [${p.label}] with your own words, or delete it.`,
      from: p.from,
      to: p.to,
    });
  }

  // Things the reference says Sora gets wrong.
  const textRisk =
    /\b(?:text|sign|signs|caption|title|logo|banner|words?|letters?)\s+(?:that\s+)?(?:says|saying|reads|reading|spells|spelling)\b/i.exec(
      text,
    );
  if (textRisk) {
    issues.push({
      code: "risky-detail",
      severity: "tip",
      message: "On-screen text is one of the details video models render inconsistently.",
      suggestion: "Leave legible text out of the prompt and add titles in the edit instead.",
      from: textRisk.index,
      to: textRisk.index + textRisk[0].length,
    });
  }
  const fastRisk =
    /\b(?:rapid|fast|frantic|whip|quick|shaky)\s+(?:camera|pans?|zooms?|cuts?|movements?|motion)\b/i.exec(
      text,
    );
  if (fastRisk) {
    issues.push({
      code: "risky-detail",
      severity: "tip",
      section: "camera",
      message: "Very fast camera movement tends to create artifacts.",
      suggestion: "Prefer a smooth move: “slow tracking shot”, “gentle dolly in”, “static shot”.",
      from: fastRisk.index,
      to: fastRisk.index + fastRisk[0].length,
    });
  }

  // Missing sections: the core three are warnings, the finishing four are tips.
  for (const name of promptSectionNames) {
    if (sections[name].present) continue;
    const core = name === "subject" || name === "action" || name === "setting";
    if (name === "subject" && issues.some((i) => i.code === "generic-subject")) continue;
    issues.push({
      code: "missing-section",
      severity: core ? "warning" : "tip",
      section: name,
      ...missingSuggestion[name],
    });
  }

  const tooShort = words < 8;
  if (tooShort) {
    issues.push({
      code: "too-short",
      severity: "warning",
      message: `Only ${words} word${words === 1 ? "" : "s"}: short prompts leave everything to chance.`,
      suggestion:
        "Be explicit about every element; the reference's effective prompts run 25–40 words covering scene, motion, camera, audio and style.",
    });
  }

  const order: Record<CheckSeverity, number> = { error: 0, warning: 1, tip: 2 };
  issues.sort((a, b) => order[a.severity] - order[b.severity]);

  const covered = promptSectionNames.filter((n) => sections[n].present).length;
  const penalty =
    vagueCount * 12 +
    (issues.some((i) => i.code === "meta-request") ? 15 : 0) +
    (tooShort ? 15 : 0) +
    (issues.some((i) => i.code === "generic-subject") ? 10 : 0);
  const score = Math.max(0, Math.min(100, Math.round((covered / 7) * 100) - penalty));

  const vague =
    tooShort ||
    vagueCount > 0 ||
    issues.some((i) => i.code === "meta-request" || i.code === "generic-subject");
  const verdict: PromptVerdict =
    chars > MAX_PROMPT_CHARS
      ? "too-long"
      : vague
        ? "vague"
        : issues.some((i) => i.severity === "warning")
          ? "needs-work"
          : "good";

  return { verdict, score, chars, words, limit: MAX_PROMPT_CHARS, sections, issues };
}

/** Counts by severity, for a compact badge. */
export function countIssues(check: PromptCheck): Record<CheckSeverity, number> {
  const out: Record<CheckSeverity, number> = { error: 0, warning: 0, tip: 0 };
  for (const i of check.issues) out[i.severity]++;
  return out;
}
