import type { Phrase } from "./parse.server.ts";

/**
 * Whether a noun phrase names what is heard rather than a thing in the picture: "soft piano",
 * "a mellow solo guitar", "upbeat synth" at the end of a prompt describe its soundtrack (Sora's
 * prompt formula ends with the audio). An instrument is drawn only when the words say it is
 * there: played ("a woman playing piano" is a musician), placed ("a piano in an empty hall"), or
 * unqualified. Pure.
 */
const INSTRUMENT =
  /^(?:piano|keys|guitar|violin|violins|cello|strings|saxophone|sax|trumpet|horns?|drum|drums|harp|flute|synth|synths|synthesizer|organ|ukulele|banjo|accordion|bass|chimes?|bells?)$/;

/** Words that describe a sound, not an object's look. */
const SOUND_QUALITY =
  /^(?:soft|gentle|quiet|faint|distant|mellow|melancholic|melancholy|upbeat|lilting|tinkling|sparse|ambient|solo|acoustic|lo-?fi|dreamy|plucked|muted|swelling|rising|jazzy|calm|peaceful|sad|playful|tense|epic|romantic|tender|slow|moody|haunting|driving|pulsing|warm)$/;

/** What a sound does when the prompt gives it a verb ("soft piano plays"). */
const SOUND_VERB = /^(?:play|plays|playing|swell|swells|swelling|hum|hums|humming|rise|rises)$/;

export function isSoundPhrase(p: Phrase): boolean {
  if (!INSTRUMENT.test(p.head)) return false;
  if (p.verb && !SOUND_VERB.test(p.verb.toLowerCase())) return false;
  // Placed somewhere ("in the corner", "on a stage") or a musician's ("her guitar"): a thing.
  if (p.prep && !/^(?:with|to|of)$/.test(p.prep)) return false;
  const heard = /\b(?:audio|sound(?:track)?|music|score)\s*:?\s*$/.test(p.connector);
  return heard || [...p.adjectives, ...p.modifiers].some((w) => SOUND_QUALITY.test(w));
}
