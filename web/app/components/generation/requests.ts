import type { Shot } from "@reelhouse/shared/collab/schema";
import { capabilityRefusal } from "@reelhouse/shared/generation/capabilities";
import { randomSeed } from "@reelhouse/shared/generation/request";
import type { BackendJson } from "./types";
import type { GenerationSettings } from "./useGeneration";

/**
 * From the storyboard's shots to the generation service's inputs. Pure: no validation here — the
 * server's schema refuses out-of-range values (e.g. a 2 s shot) with a message the UI shows.
 */

/** The storyboard's transitions → the stitcher's (ffmpeg xfade) kinds and lengths. */
export function sequenceTransition(t: Shot["transition"]): {
  kind: "cut" | "fade" | "dissolve" | "wipeleft";
  durationSeconds: number;
} {
  switch (t) {
    case "fade":
      return { kind: "fade", durationSeconds: 0.5 };
    case "dissolve":
      return { kind: "dissolve", durationSeconds: 0.5 };
    case "wipe":
      return { kind: "wipeleft", durationSeconds: 0.5 };
    default:
      // "cut" and "match-cut" (a match cut is a cut; the match is in the framing)
      return { kind: "cut", durationSeconds: 0 };
  }
}

/**
 * The seed one press of Generate renders with: the locked seed, or a new random one so that
 * pressing Generate again gives a new variation. The caller shows it and keeps it for re-sends of
 * the same press (same request id, same body).
 */
export function pressSeed(
  settings: Pick<GenerationSettings, "seed" | "seedLocked">,
  random: () => number = randomSeed,
): number {
  return settings.seedLocked && Number.isInteger(settings.seed) ? settings.seed : random();
}

/** A shot as a generation request: its prompt, its camera line as the camera section. */
export function shotRequest(shot: Shot, settings: Pick<GenerationSettings, "size" | "seed">) {
  return {
    prompt: {
      text: shot.prompt,
      ...(shot.camera.trim() ? { sections: { camera: shot.camera } } : {}),
    },
    durationSeconds: shot.durationSeconds,
    size: settings.size,
    seed: settings.seed,
  };
}

/** The form fields of "Generate" for one shot (intent=generate with its shot id). */
export function shotFields(
  shot: Shot,
  settings: GenerationSettings,
  requestId: string,
): Record<string, string> {
  return {
    intent: "generate",
    requestId,
    shotId: shot.id,
    prompt: shot.prompt,
    ...(shot.camera.trim() ? { camera: shot.camera } : {}),
    durationSeconds: String(shot.durationSeconds),
    size: settings.size,
    seed: String(settings.seed),
    ...(settings.backend ? { backend: settings.backend } : {}),
  };
}

/** The storyboard in order as a sequence; the first shot has nothing to transition from. */
export function sequenceShots(shots: Shot[], settings: GenerationSettings) {
  return shots.map((shot, i) => ({
    shotId: shot.id,
    request: shotRequest(shot, settings),
    transition: i === 0 ? { kind: "cut", durationSeconds: 0 } : sequenceTransition(shot.transition),
  }));
}

/**
 * Why the chosen backend cannot render this storyboard (or one shot of it), in the server's own
 * words (`capabilityRefusal`, which `submitGeneration`/`submitSequence` answer with), or undefined.
 * No backend known yet (the list is loading): nothing to say, the server still decides.
 */
export function storyboardRefusal(
  backend: Pick<BackendJson, "label" | "capabilities"> | undefined,
  shots: readonly Pick<Shot, "durationSeconds">[],
  size: string,
): { shot: number | null; message: string } | undefined {
  if (!backend) return undefined;
  for (const [i, shot] of shots.entries()) {
    const why = capabilityRefusal(backend.label, backend.capabilities, {
      size,
      durationSeconds: shot.durationSeconds,
      hasImage: false,
    });
    if (why) return { shot: why.field === "size" ? null : i, message: why.message };
  }
  return undefined;
}

/** The backend the settings name, else the first offered (the workspace's default comes first). */
export function chosenBackend(
  backends: readonly BackendJson[],
  name: string,
): BackendJson | undefined {
  return backends.find((b) => b.name === name) ?? backends[0];
}
