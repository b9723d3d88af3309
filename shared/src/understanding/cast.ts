import { parseQuotes } from "./dialogue.ts";
import { parsePhrases } from "./parse.server.ts";
import { styleNameRe } from "./styles.ts";
import { type Draft, subjectsFrom } from "./subjects.ts";
import type { DialogueLine, SettingKind } from "./types.ts";

/**
 * The cast: the subjects the prompt names plus every speaker of its dialogue, each line tied to
 * the subject who says it. A described speaker ("The woman says …") who is not yet a subject
 * becomes one (a person); a group the speakers make up ("Two friends … The woman says … The man
 * answers …") is drawn as those speakers rather than as a group; a line is never captioned with
 * a non-speaker such as "friends".
 */

function person(noun: string, name?: string): Draft {
  const d: Draft = {
    kind: "person",
    label: name ?? noun,
    count: 1,
    traits: [],
    noun,
    art: noun === "man" || noun === "woman" || noun === "boy" || noun === "girl" ? noun : "person",
    color: null,
    verb: null,
    motion: "still",
    relation: null,
    facing: 1,
    cls: "person",
    phrase: -1,
  };
  if (name) d.name = name;
  if (noun === "man" || noun === "boy") d.sex = "male";
  if (noun === "woman" || noun === "girl") d.sex = "female";
  return d;
}

const SPEECH_VERB =
  /^(says|said|asks|asked|answers|answered|replies|replied|whispers|shouts|yells|responds|exclaims|adds|laughs|sings|speaks|talks|tells|calls)$/;

/** Remove a subject and keep the other subjects' relations pointing at the right indices. */
function removeAt(subjects: Draft[], at: number): void {
  subjects.splice(at, 1);
  for (const s of subjects)
    if (s.relation) {
      if (s.relation.to === at) s.relation = null;
      else if (s.relation.to > at) s.relation = { ...s.relation, to: s.relation.to - 1 };
    }
}

/** Move `which` (in their order) to index `at`, keeping every relation on the same subject. */
function moveTo(subjects: Draft[], which: Draft[], at: number): void {
  const targets = subjects.map((s) => (s.relation ? subjects[s.relation.to] : undefined));
  const rest = subjects.filter((s) => !which.includes(s));
  const order = [...rest.slice(0, at), ...which, ...rest.slice(at)];
  const before = [...subjects];
  subjects.splice(0, subjects.length, ...order);
  before.forEach((s, i) => {
    const t = targets[i];
    if (s.relation && t) s.relation = { ...s.relation, to: subjects.indexOf(t) };
  });
}

const isPerson = (d: Draft) => d.kind === "person" || d.kind === "musician";

function cleanForSubjects(text: string): string {
  return text.replace(styleNameRe, " ").replace(/\bdepth of field\b/gi, " ");
}

export function castAndLines(
  subjectText: string,
  noQuotes: string,
  allText: string,
  setting: SettingKind,
): { subjects: Draft[]; dialogue: DialogueLine[]; subjectDefaulted: boolean } {
  let subjects = subjectsFrom(parsePhrases(cleanForSubjects(subjectText)), allText, setting);
  if (subjects.length === 0 && subjectText !== noQuotes)
    subjects = subjectsFrom(parsePhrases(cleanForSubjects(noQuotes)), allText, setting);
  // "a hooded figure walking, Kai says …": a name that appears only to speak names the lone
  // unnamed person before it, rather than adding a second one.
  for (let i = subjects.length - 1; i > 0; i--) {
    const d = subjects[i]!;
    if (!d.name || d.noun !== "person" || !d.verb || !SPEECH_VERB.test(d.verb)) continue;
    const unnamed = subjects.slice(0, i).filter((s) => isPerson(s) && s.count === 1 && !s.name);
    if (unnamed.length !== 1) continue;
    unnamed[0]!.name = d.name;
    removeAt(subjects, i);
  }
  const groupsBefore = subjects.filter((s) => isPerson(s) && s.count > 1);
  const speakers = new Set<Draft>();
  const lines: { speaker: string; text: string; who: Draft }[] = [];
  let nextPerson = 0;
  for (const raw of parseQuotes(allText)) {
    const said = raw.speaker?.toLowerCase() ?? null;
    let who: Draft | undefined;
    if (said && !/^(he|she|they)$/.test(said)) {
      who = subjects.find(
        (s) =>
          s.name?.toLowerCase() === said ||
          (s.count === 1 &&
            (s.noun === said ||
              s.label.toLowerCase() === said ||
              s.label.toLowerCase().endsWith(` ${said}`))),
      );
      if (!who) {
        const proper = /^[A-Z]/.test(raw.speaker!);
        // A name given to the lone unnamed person ("A woman walks in. Mia says …").
        const unnamed = proper
          ? subjects.find((s) => isPerson(s) && s.count === 1 && !s.name && !speakers.has(s))
          : undefined;
        if (unnamed) {
          unnamed.name = raw.speaker!;
          who = unnamed;
        } else {
          who = proper ? person("person", raw.speaker!) : person(said.split(/\s+/).pop()!);
          subjects.push(who);
        }
      }
    } else {
      const sex = said === "he" ? "male" : said === "she" ? "female" : undefined;
      const people = subjects.filter((s) => isPerson(s) && s.count === 1);
      who =
        (sex && people.find((p) => p.sex === sex)) ||
        people[nextPerson % Math.max(1, people.length)];
      nextPerson++;
      if (!who) {
        who = person(sex === "male" ? "man" : sex === "female" ? "woman" : "person");
        subjects.push(who);
      }
    }
    speakers.add(who);
    lines.push({ speaker: who.name ?? who.noun, text: raw.text, who });
  }
  // The speakers are the group: draw them, not the group as well.
  if (speakers.size >= 2)
    for (const g of groupsBefore) {
      if (g.count <= speakers.size && !speakers.has(g)) {
        // The speakers stand where the group stood ("two friends at a cafe table").
        const anchor = g.relation ? subjects[g.relation.to] : undefined;
        const kind = g.relation?.kind;
        const at = subjects.indexOf(g);
        removeAt(subjects, at);
        // Speakers added for the lines take the group's place in the order (the lead stays a
        // person, not the table they sit at).
        const added = [...speakers].filter((sp) => subjects.indexOf(sp) >= at);
        if (added.length) moveTo(subjects, added, at);
        if (anchor && kind)
          for (const sp of speakers)
            if (!sp.relation && sp !== anchor) sp.relation = { kind, to: subjects.indexOf(anchor) };
      }
    }
  let subjectDefaulted = false;
  if (subjects.length === 0) {
    subjects.push(person("person"));
    subjectDefaulted = true;
  }
  const dialogue: DialogueLine[] = lines.map((l) => ({
    speaker: l.speaker,
    text: l.text,
    subject: Math.max(0, subjects.indexOf(l.who)),
  }));
  return { subjects, dialogue, subjectDefaulted };
}
