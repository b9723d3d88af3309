import { structuredPromptSchema } from "@reelhouse/shared/generation/request";
import { describe, expect, it } from "vitest";
import { understand } from "./understand.ts";

const spec = (text: string, sections: Record<string, string> = {}) =>
  understand(structuredPromptSchema.parse({ text, sections }));

// Every example prompt in /work/shared/product/sora2-overview.md, verbatim.
const GOLDEN = `A golden retriever puppy playing in a sunlit garden, slow-motion shot 
of it catching a frisbee mid-air, warm afternoon lighting, cinematic 
camera following the action, playful music in the background`;
const CYBERPUNK = `A cyberpunk street market at night, neon signs reflecting in puddles, 
camera tracking shot following a hooded figure through the crowd, 
rain falling, synthwave music, moody blue and purple lighting`;
const COFFEE = `Close-up shot of a steaming cup of coffee on a wooden table, 
morning sunlight streaming through window, shallow depth of field, 
camera slowly rotating around the cup, peaceful ambient sounds`;
const JAZZ = `A jazz band performing in a dimly lit club, spotlight on the 
saxophone player, smooth camera dolly from wide to medium shot, 
live jazz music with crowd ambience, warm intimate atmosphere`;
const TEMPLATES = {
  cinematic: `[Shot type] of [subject] [action], [lighting description], 
[camera movement], [audio elements], [mood/style]`,
  character: `[Character description] in [setting], [what they're doing], 
[expression/emotion], [camera angle], [music/sound]`,
  environment: `[Location/environment description], [time of day], [weather], 
[camera movement through space], [ambient sounds], [atmosphere]`,
};

describe("previz prompt understanding — the product reference's example prompts", () => {
  it("golden retriever: dog catching a frisbee in a sunlit garden, slow motion, tracking, playful music", () => {
    const s = spec(GOLDEN);
    expect(s.subjects[0]).toMatchObject({ kind: "dog", label: "golden retriever puppy" });
    expect(s.action.kind).toBe("catch");
    expect(s.setting).toMatchObject({ kind: "garden", interior: false });
    expect(s.timeOfDay).toBe("afternoon");
    expect(s.lighting.kind).toBe("golden");
    expect(s.pacing).toBe("slow-motion");
    expect(s.camera).toMatchObject({ movement: "tracking", follows: true });
    expect(s.audio.music).toEqual({ mood: "playful", tempo: expect.any(Number) });
    expect(s.audio.effects).toEqual(expect.arrayContaining(["impact", "bark", "whoosh"]));
    expect(s.style).toBe("cinematic");
    expect(s.weather).toBe("clear");
  });

  it("cyberpunk market: hooded figure walking, night rain, neon, tracking, synthwave, blue/purple light", () => {
    const s = spec(CYBERPUNK);
    expect(s.subjects[0]).toMatchObject({
      kind: "person",
      label: "hooded figure",
      traits: ["hooded"],
    });
    expect(s.action.kind).toBe("walk");
    expect(s.setting.kind).toBe("market");
    expect(s.setting.text).toContain("street market");
    expect(s.timeOfDay).toBe("night");
    expect(s.weather).toBe("rain");
    expect(s.camera.movement).toBe("tracking");
    expect(s.lighting.kind).toBe("neon");
    expect(s.lighting.colors).toEqual(expect.arrayContaining(["blue", "purple"]));
    expect(s.audio.music?.mood).toBe("synthwave");
    expect(s.audio.ambience).toEqual(expect.arrayContaining(["rain", "crowd"]));
    expect(s.audio.effects).toEqual(expect.arrayContaining(["footsteps", "splash"]));
    // Issue 11: cyberpunk is its own art style now (it was folded into "neon").
    expect(s.style).toBe("cyberpunk");
    expect(s.mood).toContain("moody");
  });

  it("coffee: close-up of a steaming cup on a table, morning sun, shallow focus, slow orbit, calm sound", () => {
    const s = spec(COFFEE);
    expect(s.subjects[0]).toMatchObject({ kind: "cup", label: "steaming cup" });
    expect(s.action.kind).toBe("steam");
    expect(s.setting).toMatchObject({ kind: "kitchen", text: "wooden table", interior: true });
    expect(s.timeOfDay).toBe("morning");
    expect(s.lighting.kind).toBe("sunlit");
    expect(s.shotType).toBe("close-up");
    expect(s.depthOfField).toBe("shallow");
    expect(s.camera).toMatchObject({ movement: "orbit", speed: "slow" });
    expect(s.audio.ambience).toContain("room");
    expect(s.mood).toContain("peaceful");
    // "depth of field" is camera jargon, not a field to stand in
    expect(s.setting.kind).not.toBe("park");
  });

  it("jazz band: musicians with a saxophone lead in a dim club, spotlight, dolly wide→medium, jazz + crowd", () => {
    const s = spec(JAZZ);
    expect(s.subjects[0]).toMatchObject({ kind: "musician", instrument: "saxophone" });
    expect(s.subjects[0]!.count).toBeGreaterThanOrEqual(3);
    expect(s.action.kind).toBe("perform");
    expect(s.setting).toMatchObject({ kind: "club", interior: true });
    expect(s.lighting.kind).toBe("spotlight");
    expect(s.camera).toMatchObject({ movement: "dolly", direction: "in", endShot: "medium" });
    expect(s.shotType).toBe("wide");
    expect(s.audio.music?.mood).toBe("jazz");
    expect(s.audio.ambience).toContain("crowd");
    expect(s.mood).toEqual(expect.arrayContaining(["warm", "intimate"]));
  });

  it.each([["Make a cool video"], ["A person doing stuff"], ["Something interesting with music"]])(
    "terrible prompt %j still yields a complete spec, with the guesses listed as defaults",
    (text) => {
      const s = spec(text);
      expect(s.subjects.length).toBeGreaterThan(0);
      expect(s.defaulted).toEqual(expect.arrayContaining(["action", "setting", "camera", "style"]));
      expect(s.audio.music).not.toBeNull();
      expect(s.camera.movement).toBe("static");
    },
  );

  it("terrible prompts: 'a person' is the subject when named; 'cool' is not read as a light colour", () => {
    expect(spec("A person doing stuff").defaulted).not.toContain("subject");
    expect(spec("Make a cool video").lighting.colors).toEqual([]);
    expect(spec("Something interesting with music").defaulted).not.toContain("music");
  });

  it.each(Object.entries(TEMPLATES))(
    "raw %s template: placeholders are ignored, every field defaulted",
    (_, text) => {
      const s = spec(text);
      expect(s.defaulted).toEqual(
        expect.arrayContaining(["subject", "action", "setting", "camera", "shotType"]),
      );
    },
  );

  it("filled cinematic-shot template", () => {
    const s = spec(
      "Wide shot of a lone astronaut walking across a red desert, golden hour light, slow pan right, wind and footsteps, epic cinematic mood",
    );
    expect(s.subjects[0]!.kind).toBe("person");
    expect(s.action.kind).toBe("walk");
    expect(s.shotType).toBe("wide");
    expect(s.timeOfDay).toBe("golden-hour");
    expect(s.camera).toMatchObject({ movement: "pan", direction: "right", speed: "slow" });
    expect(s.audio.ambience).toContain("wind");
    expect(s.audio.effects).toContain("footsteps");
    expect(s.audio.music?.mood).toBe("epic");
  });

  it("filled character-focus template with a quoted line and its speaker", () => {
    const s = spec(
      'An elderly chef in a busy kitchen, tasting soup, smiling, over-the-shoulder shot, Marco says "Needs more salt!", upbeat music',
    );
    expect(s.subjects[0]).toMatchObject({ kind: "person" });
    expect(s.subjects[0]!.traits).toContain("elderly");
    expect(s.setting.kind).toBe("kitchen");
    expect(s.shotType).toBe("over-the-shoulder");
    expect(s.audio.dialogue).toEqual([
      { speaker: "Marco", text: "Needs more salt!", subject: expect.any(Number) },
    ]);
    expect(s.subjects[s.audio.dialogue[0]!.subject]!.kind).toBe("person");
    expect(s.audio.music?.mood).toBe("upbeat");
  });

  it("filled environment template: place, time, weather, camera, ambience", () => {
    const s = spec(
      "A misty pine forest at dawn, light fog, camera drifting slowly through the trees with a tracking move, birdsong and wind, serene atmosphere",
    );
    expect(s.setting.kind).toBe("forest");
    expect(s.timeOfDay).toBe("dawn");
    expect(s.weather).toBe("fog");
    expect(s.camera.movement).toBe("tracking");
    expect(s.audio.ambience).toEqual(expect.arrayContaining(["birds", "wind"]));
    expect(s.mood).toContain("serene");
  });

  it("advanced techniques: shot types, motion, lighting and style references from the reference", () => {
    expect(spec("wide angle view of a beach").shotType).toBe("wide");
    expect(spec("close-up of a cat").shotType).toBe("close-up");
    expect(spec("over-the-shoulder shot of a woman").shotType).toBe("over-the-shoulder");
    expect(spec("a man in a street, camera tracks left").camera).toMatchObject({
      movement: "tracking",
      direction: "left",
    });
    expect(spec("dolly zoom on a detective").camera.movement).toBe("dolly");
    expect(spec("static shot of a lake at noon").camera.movement).toBe("static");
    expect(spec("a city at golden hour").timeOfDay).toBe("golden-hour");
    expect(spec("a boxer, high contrast lighting").lighting.kind).toBe("high-contrast");
    expect(spec("a portrait in soft diffused light").lighting.kind).toBe("soft");
    expect(spec("Cinematic film grain, Wes Anderson style hotel lobby").style).toBe(
      "pastel-symmetric",
    );
    expect(spec("Documentary realism with handheld camera in a market")).toMatchObject({
      style: "documentary",
      camera: { movement: "handheld" },
    });
    expect(spec("Anime aesthetic with vibrant colors, a girl on a rooftop").style).toBe("anime");
    expect(spec("a detective in the rain, black and white noir").style).toBe("noir");
    expect(spec("time-lapse of clouds over mountains").pacing).toBe("time-lapse");
    expect(spec("a street at night, thunderstorm").weather).toBe("storm");
    expect(spec("kids playing in the snow").weather).toBe("snow");
  });

  it("structured sections win for their own field over the free text", () => {
    const s = spec("A quiet scene", {
      subject: "a tabby cat",
      action: "jumping onto a shelf",
      setting: "a cozy library at night",
      camera: "slow zoom in, close-up",
      lighting: "candlelit",
      audio: "soft piano music at 70 bpm, fire crackling",
      style: "watercolor",
    });
    expect(s.subjects[0]!.kind).toBe("cat");
    expect(s.action.kind).toBe("jump");
    // Issue 11 gives libraries their own place (it was "room" when only 14 places existed).
    expect(s.setting.kind).toBe("library");
    expect(s.timeOfDay).toBe("night");
    expect(s.camera).toMatchObject({ movement: "zoom", direction: "in", speed: "slow" });
    expect(s.shotType).toBe("close-up");
    expect(s.lighting.kind).toBe("dim");
    expect(s.audio.music).toEqual({ mood: "calm", tempo: 70 });
    expect(s.audio.ambience).toContain("fire");
    expect(s.style).toBe("watercolor");
    expect(s.defaulted).toEqual([]);
  });

  it("dialogue: several quoted lines with speakers in different phrasings; 'no music' turns music off", () => {
    const s = spec(
      'Two friends on a park bench. Ana: "Did you see that?" The boy replies "I did!" "Let\'s go," says Ana. No music.',
    );
    expect(s.audio.dialogue).toMatchObject([
      { speaker: "Ana", text: "Did you see that?" },
      { speaker: "boy", text: "I did!" },
      { speaker: "Ana", text: "Let's go," },
    ]);
    // Each line points at its own drawn speaker: Ana twice, the boy once.
    const [ana, boy, ana2] = s.audio.dialogue.map((d) => d.subject);
    expect(ana).toBe(ana2);
    expect(boy).not.toBe(ana);
    expect(s.subjects[boy!]).toMatchObject({ kind: "person", noun: "boy" });
    expect(s.audio.music).toBeNull();
    // Quoted words are speech, not stage directions: "go" in a quote is not an action.
    expect(s.subjects[0]!.kind).toBe("person");
  });

  it("a named speaker becomes the lead's name when the prompt only says 'she'", () => {
    const s = spec(
      'Mia says "We made it!" as she walks down a rainy street at night, handheld camera',
    );
    expect(s.subjects[0]).toMatchObject({ kind: "person", name: "Mia" });
    expect(s.action.kind).toBe("walk");
    expect(s.audio.dialogue[0]).toEqual({ speaker: "Mia", text: "We made it!", subject: 0 });
  });

  it("is pure: the same prompt gives the same spec", () => {
    expect(spec(CYBERPUNK)).toEqual(spec(CYBERPUNK));
  });
});

describe("previz prompt understanding — odd input", () => {
  it("never throws on long, unicode, bracket-heavy or quote-heavy prompts", () => {
    const odd = [
      "🎬🐶✨ un chien qui court dans un jardin — « Allez ! » dit Zoé",
      '[[[]]] [a] [b] """" \'\' ,,,, ....',
      `${"a dog runs. ".repeat(330)}`.slice(0, 4000),
      'He says "" and she says "   "',
      "night night night rain rain neon neon close-up close-up",
    ];
    for (const text of odd) {
      const s = spec(text);
      expect(s.subjects.length).toBeGreaterThan(0);
      expect(s.audio.dialogue.every((d) => d.text.trim().length > 0)).toBe(true);
    }
  });
});
