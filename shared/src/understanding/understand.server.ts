import type { StructuredPrompt } from "@reelhouse/shared/generation/request";
import { actionRules } from "./actions.ts";
import { ambienceRules, effectRules, moodTempo, musicRules } from "./audio.ts";
import { movementRules, shotRules } from "./camera.ts";
import { castAndLines } from "./cast.ts";
import { quoteRe } from "./dialogue.ts";
import { kicks, reads, sitsBy } from "./drawings.ts";
import { layout } from "./layout.ts";
import {
  impliedTimeRules,
  lightColors,
  lightingRules,
  moodWords,
  timeRules,
  weatherRules,
} from "./light.ts";
import { promptWithoutMentions } from "./mentions.ts";
import { all, byPriority, first, type Rule } from "./rules.ts";
import { interiorSettings, settingRules, settingText } from "./settings.ts";
import { styleOf } from "./styles.ts";
import type {
  ActionKind,
  CameraMovement,
  Lighting,
  Pacing,
  SettingKind,
  ShotSpec,
  ShotType,
  Style,
  Subject,
  Weather,
} from "./types.ts";

export * from "./types.ts";

/**
 * Prompt understanding for the previz animatic: free text plus the structured sections become a
 * typed shot spec. The subjects come from the language (`parse.server.ts`: noun phrases, counts,
 * adjectives, verbs, the words between phrases), their drawings from the emoji lexicon and
 * WordNet (`lexicon.server.ts`), their places from the layout (`layout.ts`); the shot's place,
 * time, light, camera, sound and style from phrase rules. Stated defaults fill what a prompt
 * leaves out — `defaulted` lists them so the UI can coach. Server-only (reads the lexicons from
 * disk, lazily, once per process).
 */

/** Bracketed template placeholders ("[Shot type]") say nothing about the shot: drop them. */
function stripPlaceholders(s: string): string {
  return s.replace(/\[[^\]]{1,60}\]/g, " ");
}

export function understand(written: StructuredPrompt): ShotSpec {
  // "@mia as the barista" is about the barista (the cast cameo is the render's business).
  const prompt = promptWithoutMentions(written);
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

  const settingSrc = (part("setting") || noQuotes).replace(/\bdepth of field\b/gi, "focus");
  let settingKind = byPriority(settingSrc, settingRules);
  const { subjects, dialogue, subjectDefaulted } = castAndLines(
    part("subject") || noQuotes,
    noQuotes,
    all_,
    settingKind ?? "park",
  );
  if (subjectDefaulted) defaulted.push("subject");
  if (!settingKind && subjects[0]!.kind === "cup") settingKind = "kitchen";
  // A surfboard is ridden on the sea.
  if (!settingKind && subjects.some((s) => s.art === "surfboard")) settingKind = "ocean";
  const setting = {
    kind: orDefault("setting", settingKind, "park" as SettingKind),
    text: settingText(settingSrc, settingKind),
    interior: false,
  };
  setting.interior = interiorSettings.includes(setting.kind);

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

  const lightSrc = part("lighting");
  let timeOfDay = pick(lightSrc || part("setting"), timeRules);
  let lightingKind =
    (lightSrc ? byPriority(lightSrc, lightingRules) : undefined) ?? byPriority(all_, lightingRules);
  if (!timeOfDay && lightingKind === "golden") timeOfDay = "golden-hour";
  if (!timeOfDay && lightingKind === "neon") timeOfDay = "night";
  if (!timeOfDay && setting.kind === "club") timeOfDay = "night";
  // Space has no daytime sky: it is black with stars whatever the clock says.
  if (setting.kind === "space") timeOfDay = "night";
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
  let style = styleOf(styleSrc);
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

  const places = layout(
    subjects.map((s) => ({
      cls: s.cls,
      art: s.art,
      motion: s.motion,
      count: s.count,
      relation: s.relation,
      facing: s.facing,
      seated: sitsBy(s.verb),
      kicks: kicks(s.verb),
      reads: reads(s.verb),
    })),
    shotType,
    setting.kind,
  );
  const placed: Subject[] = subjects.map(({ cls: _cls, phrase: _phrase, implied: _i, ...s }, i) => {
    const { facing, ...place } = places[i]!;
    return { ...s, facing: facing ?? s.facing, place };
  });

  return {
    subjects: placed,
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
