import { type Rule, w } from "./rules.ts";
import type { Ambience, MusicMood, SoundEffect } from "./types.ts";

export const musicRules: readonly Rule<MusicMood>[] = [
  [w("jazz(?:y)?|swing|bebop|blues"), "jazz"],
  [w("synthwave|synth|retrowave|electronic|techno|edm"), "synthwave"],
  [w("playful|whimsical|fun|cheerful|bouncy|happy"), "playful"],
  [w("tense|suspense(?:ful)?|thriller|ominous|dark music|horror"), "tense"],
  [w("epic|orchestral|heroic|cinematic score|trailer"), "epic"],
  [w("sad|melancholic|melancholy|somber|mournful"), "sad"],
  [w("upbeat|energetic|pop|dance music|lively"), "upbeat"],
  [w("romantic|love song|tender"), "romantic"],
  [
    w(
      "calm|peaceful|ambient music|lo-?fi|chill|relaxing|gentle|soft music|piano music|(?:soft|mellow|quiet|solo) (?:piano|guitar|strings|cello|harp)",
    ),
    "calm",
  ],
];

export const moodTempo: Record<MusicMood, number> = {
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

export const ambienceRules: readonly Rule<Ambience>[] = [
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

export const effectRules: readonly Rule<SoundEffect>[] = [
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
