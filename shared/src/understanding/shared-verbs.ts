/**
 * Verbs the chunker hangs on the wrong subject, given to the one that does them. Pure; run by
 * `subjectsFrom` once the subjects and their relations are known.
 *
 * - "a woman and a man walking": subjects joined by "and" share the verb after the last of them.
 * - "a woman on a chair reading a book": a chair does not read; the person before it does, also
 *   when they are "sitting on" it (the seat says they sit).
 * - "a man holding a cup of coffee walking down a street": the verb after what is held is the
 *   holder's way of moving (a cup does not walk), so the holder walks and the cup goes with them.
 * - "a man walking a dog": the dog walks beside him.
 */
import { sitsBy } from "./drawings.ts";
import { motionOf } from "./motion.ts";
import type { Phrase } from "./parse.server.ts";
import type { Draft } from "./subjects.ts";
import type { SettingKind } from "./types.ts";

const ANIMATE = new Set(["person", "mammal", "bird", "reptile", "amphibian", "marine", "bug"]);

/** What people and animals do, never a chair or a book ("reading", "eating", "singing"). */
const AGENT_VERB =
  /^(?:read|reads|reading|eat|eats|eating|drink|drinks|drinking|sip|sips|sipping|write|writes|writing|typ(?:e|es|ing)|sing|sings|singing|smil(?:e|es|ing)|laugh(?:s|ing)?|talk(?:s|ing)?|paint(?:s|ing)?|draw(?:s|ing)?|knit(?:s|ting)?|cook(?:s|ing)?|watch(?:es|ing)?|look(?:s|ing)?|work(?:s|ing)?|study(?:ing)?|studies)$/i;

const WALKS = /^(?:walk|walks|walking|walked)$/i;

export function shareVerbs(out: Draft[], phrases: Phrase[], setting: SettingKind): void {
  const sentence = (d: Draft) => phrases[d.phrase]?.sentence;
  const act = (d: Draft, verb: string) => {
    d.verb = verb;
    d.motion = motionOf(verb, d.cls, d.art ?? null, setting);
  };
  // Joined by "and": back to front, so "a, b and c walking" all walk.
  for (let k = out.length - 2; k >= 0; k--) {
    const a = out[k]!;
    const b = out[k + 1]!;
    if (a.verb || !b.verb || a.relation || b.implied || sentence(a) !== sentence(b)) continue;
    if (!ANIMATE.has(a.cls) || !ANIMATE.has(b.cls)) continue;
    if (!/^(?:and|, and|,|&)$/.test(phrases[b.phrase]!.connector.trim())) continue;
    act(a, b.verb);
    a.facing = b.facing;
  }
  // A thing's agent verb belongs to the person (or animal) named before it.
  for (let k = 1; k < out.length; k++) {
    const b = out[k]!;
    if (!b.verb || ANIMATE.has(b.cls) || !AGENT_VERB.test(b.verb)) continue;
    const a = out
      .slice(0, k)
      .reverse()
      .find((o) => ANIMATE.has(o.cls) && sentence(o) === sentence(b));
    // One already sitting on a seat is doing this there ("sitting on a bench reading").
    if (!a || (a.verb && !(sitsBy(a.verb) && a.relation?.kind === "on-top-of"))) continue;
    act(a, b.verb);
    b.verb = null;
    b.motion = "still";
  }
  carryOn(out, phrases, setting);
  // "walking a dog": the dog, the walk's object, walks along.
  for (let k = 1; k < out.length; k++) {
    const a = out[k - 1]!;
    const b = out[k]!;
    if (a.cls !== "person" || !a.verb || !WALKS.test(a.verb) || b.verb) continue;
    if (b.cls !== "mammal" || sentence(a) !== sentence(b)) continue;
    if (phrases[b.phrase]!.connector.trim().toLowerCase() !== a.verb.toLowerCase()) continue;
    b.motion = a.motion;
    b.facing = a.facing;
    if (!a.relation) a.relation = { kind: "next-to", to: k };
  }
}

function carryOn(out: Draft[], phrases: Phrase[], setting: SettingKind) {
  for (const a of out) {
    if (a.relation?.kind !== "holding" || a.motion !== "still") continue;
    const held = out[a.relation.to];
    if (!held || held.cls === "person" || held.cls === "mammal") continue;
    const next = out.find((o) => o.phrase > held.phrase)?.phrase ?? phrases.length;
    for (let pi = held.phrase; pi < next; pi++) {
      const verb = phrases[pi]!.verb;
      if (!verb || phrases[pi]!.sentence !== phrases[a.phrase]!.sentence) continue;
      const m = motionOf(verb, a.cls, a.art ?? null, setting);
      if (m === "still") continue;
      a.motion = m;
      held.motion = "still";
      break;
    }
  }
}
