/**
 * The shot spec: what understanding hands the renderer. Pure types, no code, so the browser may
 * import them. The plan contract between understanding and drawing is `SubjectPlan`.
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
  | "inside"
  /** At a table or counter: standing (or sitting) behind or beside it. */
  | "at";

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
  /** The verb acting on it, as written ("galloping"), or null. */
  verb: string | null;
  /**
   * Where it stands relative to another subject (`to` indexes `ShotSpec.subjects`), or null.
   * "A riding B": A has riding→B (A sits on top of B). "A holding B": A has holding→B and B is
   * laid out at A's hand.
   */
  relation: { kind: RelationKind; to: number } | null;
  /** Centre at the middle of the shot, fractions of width and height from the top left; `size` is its height as a fraction of the frame height. */
  place: { x: number; y: number; size: number };
  /** 1 faces right (the direction of travel), -1 faces left. */
  facing: 1 | -1;
}

/**
 * One subject of the shot. `count` stays a count on one subject (not expanded into instances):
 * "three sheep" is one subject with count 3, and the picture fans the group out around `place`
 * (the group's centre). Counts are capped at `MAX_COUNT` (a sensible crowd).
 */
export interface Subject extends SubjectPlan {
  kind: SubjectKind;
  /** The words that named it, e.g. "golden retriever puppy". */
  label: string;
  count: number;
  /** Colour/appearance words found near it (e.g. "golden", "hooded"). */
  traits: string[];
  instrument?: Instrument;
  /** Spoken name when the prompt gives one (speaker attribution). */
  name?: string;
  /** "man" / "woman" when the prompt says so: picks the speaking voice. */
  sex?: "male" | "female";
}

/** The largest group drawn for one subject ("a crowd of 40 people" draws 12). */
export const MAX_COUNT = 12;

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
  /** Index into `ShotSpec.subjects` of the subject who speaks the line (always a person). */
  subject: number;
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
