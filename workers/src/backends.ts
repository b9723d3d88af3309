import { env } from "@reelhouse/shared/env.server";
import type { GenerationBackend } from "@reelhouse/shared/generation/backend";
import { openAIVideosBackend } from "@reelhouse/shared/generation/openai-videos.server";
import { registerBackend } from "@reelhouse/shared/generation/registry.server";
import { testPatternBackend } from "@reelhouse/shared/generation/test-pattern.server";

/** Registers every backend this worker can run (names match describeBackends()). */
export function registerBackends(): void {
  const e = env();
  registerBackend("previz", async () => {
    // workers/src/previz/ (another part of the tree) exports the built-in animatic backend.
    const spec = "./previz/backend.ts";
    const mod = (await import(spec)) as { previzBackend: () => GenerationBackend };
    return mod.previzBackend();
  });
  if (e.OPENAI_VIDEOS_BASE_URL && e.OPENAI_VIDEOS_API_KEY) {
    const opts = {
      baseUrl: e.OPENAI_VIDEOS_BASE_URL,
      apiKey: e.OPENAI_VIDEOS_API_KEY,
      model: e.OPENAI_VIDEOS_MODEL,
    };
    registerBackend("openai-videos", () => openAIVideosBackend(opts));
  }
  if (e.NODE_ENV === "test") {
    registerBackend("test-pattern", () => testPatternBackend({ realtime: false }));
    registerBackend("test-pattern-realtime", () => testPatternBackend({ realtime: true }));
  }
}
