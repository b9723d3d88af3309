import { namedPublicFigures } from "./public-figures.ts";

/**
 * Rules-based safety pre-check of prompt text, run before any render. It is deliberately simple
 * and explainable: each rule has a stable code, a human reason shown to the requester, and
 * patterns that must ALL match (a rule is a conjunction of concepts, e.g. "minor" AND "sexual").
 * Later issues add classifier checks and cameo consent; this list stays the first gate.
 */

export interface SafetyRule {
  code: string;
  /** Shown to the person who wrote the prompt. */
  reason: string;
  /** Every pattern must match somewhere in the normalized prompt. */
  all: RegExp[];
}

export type SafetyVerdict = { ok: true } | { ok: false; code: string; reason: string };

const minor =
  /\b(child|children|kid|kids|minor|minors|underage|under-age|teen|teens|teenager|teenagers|preteen|toddler|infant|baby|babies|schoolgirl|schoolboy|little (girl|boy)|young (girl|boy)|(1[0-7]|[1-9])[- ]?(year[- ]?old|yo)\b)/;
const sexual =
  /\b(sex|sexual|sexy|nude|nudity|naked|topless|explicit|porn|porno|pornographic|erotic|lingerie|undress(ed|ing)?|strip(ping|tease)?|seductive|aroused|intercourse|fetish)\b/;
const realPerson =
  /\b(deepfake|deep fake|face ?swap|swap (his|her|their) face|impersonat(e|ing|ion)|make it look like (the )?real|real footage of|fake (video|footage) of)\b/;
/**
 * Roles that make "… announcing/says/…" a public figure's deceptive act. Named people are found by
 * `namedPublicFigures` (and `knownSurname`) instead, whatever they are said to do.
 */
const namedPublicFigure =
  /\b(president|prime minister|senator|chancellor|pope|king|queen|ceo|celebrity|politician)\b/;
/** Surnames that name one public figure on their own ("Obama waves"), beside the article list. */
const knownSurname = /\b(biden|trump|obama|putin|zelensky|xi jinping|macron|merkel|modi)\b/;
const deceptiveAct =
  /\b(saying|says|admit(s|ting)?|confess(es|ing)?|announc(e|es|ing)|caught|arrested|drunk|naked|kissing|endors(e|es|ing)|resign(s|ing)?|declar(e|es|ing))\b/;
const graphicViolence =
  /\b(gore|gory|disembowel(l?ed|l?ing|ment)?|decapitat(e|ed|ion|ing)|behead(ed|ing)?|dismember(ed|ing|ment)?|mutilat(e|ed|ion|ing)|entrails|torture[ds]?|torturing|flayed|eviscerat(e|ed|ion)|blood[- ]?bath|brains? splatter(ed|ing)?|guts spill(ing|ed)?|execution video|massacre of)\b/;
const selfHarm =
  /\b(suicide|kill (him|her|my|them)sel(f|ves)|self[- ]harm|cutting (my|her|his) wrists?|hang(ing)? (him|her)self)\b/;
const instructional = /\b(how to|tutorial|step[- ]by[- ]step|instructions?|guide)\b/;
const weapons =
  /\b(bomb|explosive|pipe bomb|nerve agent|bioweapon|ricin|sarin|meth(amphetamine)?|ghost gun)\b/;

export const SAFETY_RULES: readonly SafetyRule[] = [
  {
    code: "minor_sexual",
    reason: "This prompt combines minors with sexual content, which is never allowed.",
    all: [minor, sexual],
  },
  {
    code: "real_person_deepfake",
    reason:
      "This prompt asks for a deceptive likeness of a real person. Use a cameo that person shared with you instead.",
    all: [realPerson],
  },
  {
    code: "public_figure_deception",
    reason:
      "This prompt depicts a real public figure doing or saying something. Public figures can't be generated.",
    all: [namedPublicFigure, deceptiveAct],
  },
  {
    code: "graphic_violence",
    reason: "This prompt asks for graphic violence or gore, which is not allowed.",
    all: [graphicViolence],
  },
  {
    code: "self_harm",
    reason:
      "This prompt depicts self-harm. If you are struggling, please reach out to someone you trust.",
    all: [selfHarm],
  },
  {
    code: "dangerous_instructions",
    reason: "This prompt asks for instructions to make weapons or drugs, which is not allowed.",
    all: [instructional, weapons],
  },
];

/** Lower case, folds accents and leetspeak digits, and collapses separators used to dodge words. */
export function normalizePrompt(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/(?<=[a-z])[0](?=[a-z])/g, "o")
    .replace(/(?<=[a-z])[1](?=[a-z])/g, "i")
    .replace(/(?<=[a-z])[3](?=[a-z])/g, "e")
    .replace(/(?<=[a-z])[@](?=[a-z])/g, "a")
    .replace(/(?<=[a-z])[._*](?=[a-z])/g, "")
    .replace(/\s+/g, " ");
}

/** Checks prompt text (free text and every structured section joined) against SAFETY_RULES. */
export function checkPromptSafety(text: string): SafetyVerdict {
  const normalized = normalizePrompt(text);
  for (const rule of SAFETY_RULES) {
    if (rule.all.every((re) => re.test(normalized))) {
      return { ok: false, code: rule.code, reason: rule.reason };
    }
  }
  // Naming a public figure at all, whatever they are said to do ("Taylor Swift says hello" and
  // "Taylor Swift dancing on stage" get the same answer).
  const figures = namedPublicFigures(text);
  const surname = knownSurname.exec(normalized)?.[1];
  if (figures.length > 0 || surname) {
    const who = figures[0] ?? surname!.replace(/\b\w/g, (c) => c.toUpperCase());
    return {
      ok: false,
      code: "public_figure",
      reason: `This prompt names ${who}, a real public figure. Public figures can't be generated; describe a fictional person instead, or cast a cameo that someone shared with you.`,
    };
  }
  return { ok: true };
}
