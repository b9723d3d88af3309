import { env } from "@reelhouse/shared/env.server";
import { GenerationError } from "@reelhouse/shared/generation/backend";
import { type BackendContext, registerBackend } from "@reelhouse/shared/generation/registry.server";
import { comfyuiBackend } from "./comfyui.ts";
import { falBackend } from "./fal.ts";
import { openAIVideosBackend } from "./openai-videos.ts";
import { previzBackend } from "./previz.ts";
import { runwayBackend } from "./runway.ts";
import { testPatternBackend } from "./test-pattern.ts";
import { veoBackend } from "./veo.ts";

/**
 * The one registry of generation backends this worker runs (names and capabilities match
 * shared/src/generation/capabilities.ts). The per-workspace ones (Veo, Runway, fal, ComfyUI) are
 * built for each job from that workspace's Settings → Model backends.
 */
export function registerBackends(): void {
  const e = env();
  registerBackend("previz", () => previzBackend);
  if (e.OPENAI_VIDEOS_BASE_URL && e.OPENAI_VIDEOS_API_KEY) {
    const opts = {
      baseUrl: e.OPENAI_VIDEOS_BASE_URL,
      apiKey: e.OPENAI_VIDEOS_API_KEY,
      model: e.OPENAI_VIDEOS_MODEL,
    };
    registerBackend("openai-videos", () => openAIVideosBackend(opts));
  }
  registerBackend("veo", (ctx) => {
    const s = needs(ctx, "veo", "Google Veo", "apiKey");
    return veoBackend({ apiKey: s.apiKey, model: s.model ?? "veo-3.1-generate-preview" });
  });
  registerBackend("runway", (ctx) => {
    const s = needs(ctx, "runway", "Runway", "apiKey");
    return runwayBackend({ apiKey: s.apiKey, model: s.model ?? "veo3.1" });
  });
  registerBackend("fal", (ctx) => {
    const s = needs(ctx, "fal", "fal", "apiKey");
    return falBackend({ apiKey: s.apiKey, model: s.model ?? "wan-2.2" });
  });
  registerBackend("comfyui", (ctx) => {
    const s = needs(ctx, "comfyui", "ComfyUI", "baseUrl");
    return comfyuiBackend({ baseUrl: s.baseUrl, apiKey: s.apiKey });
  });
  if (e.NODE_ENV === "test") {
    registerBackend("test-pattern", () => testPatternBackend({ realtime: false }));
    registerBackend("test-pattern-realtime", () => testPatternBackend({ realtime: true }));
  }
}

type Settings = NonNullable<BackendContext["settings"]>;

/** The job's workspace settings, with the field the backend cannot run without. */
function needs<K extends "apiKey" | "baseUrl">(
  ctx: BackendContext,
  name: string,
  label: string,
  field: K,
): Settings & Required<Pick<Settings, K>> {
  const s = ctx.settings;
  if (!s?.[field])
    throw new GenerationError(
      "backend_not_configured",
      `${label} is not set up in this workspace (Settings → Model backends → ${name}).`,
      false,
    );
  return s as Settings & Required<Pick<Settings, K>>;
}
