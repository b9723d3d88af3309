import { env } from "@reelhouse/shared/env.server";
import { openAIVideosBackend } from "@reelhouse/shared/generation/openai-videos.server";
import { registerBackend } from "@reelhouse/shared/generation/registry.server";
import { testPatternBackend } from "@reelhouse/shared/generation/test-pattern.server";
import { previzBackend } from "./previz/render.server.ts";

/** Registers every backend this worker can run (names match describeBackends()). */
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
  if (e.NODE_ENV === "test") {
    registerBackend("test-pattern", () => testPatternBackend({ realtime: false }));
    registerBackend("test-pattern-realtime", () => testPatternBackend({ realtime: true }));
  }
}
