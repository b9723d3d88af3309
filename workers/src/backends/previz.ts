import type { GenerationBackend } from "@reelhouse/shared/generation/backend";
import { renderPreviz } from "../previz/render.server.ts";

/** The built-in animatic: the adapter here, the renderer itself in ../previz/. */
export const previzBackend: GenerationBackend = {
  name: "previz",
  label: "Previz animatic (CPU)",
  render: (request, ctx) => renderPreviz(request, ctx),
};
