import { BACKEND_CATALOG } from "@reelhouse/shared/generation/capabilities";
import { MAX_CLIP_SECONDS } from "@reelhouse/shared/generation/request";
import type { EditorSource } from "./types";

/**
 * Extend's rules as the editor and the draft card apply them before anything is sent, pure
 * (extend-rules.test.ts). They are the route's (shared/src/edit/README.md "Extend"), which
 * checks them again: the messages match, so the page and the server never disagree.
 */

/**
 * Why the clip cannot be extended, or null. The same rules as the route
 * (`POST /projects/:projectId/drafts/:draftId/extend`, shared/src/edit/README.md "Extend"): the
 * backend must be able to continue a clip (the catalog's `extend` capability: previz only), an
 * edit render never, and the result is at most MAX_CLIP_SECONDS long.
 */
export function extendProblem(
  src: { backend: string; seconds: number } | undefined,
  canEdit: boolean,
): string | null {
  if (!canEdit) return "Only editors and owners can extend a clip.";
  if (!src) return "Select a clip on the timeline to extend it.";
  if (src.backend === "edit")
    return "An edited clip cannot be extended: extend its source draft, then edit again.";
  const entry = BACKEND_CATALOG.find((b) => b.name === src.backend);
  if (!entry?.capabilities.extend) {
    const what =
      src.backend === "upload"
        ? "An uploaded clip"
        : `A clip made by ${entry?.label ?? src.backend}`;
    return `${what} cannot be continued: only previz clips can be extended (Extend re-renders the same plan for longer).`;
  }
  if (MAX_CLIP_SECONDS - src.seconds < 1)
    return `This clip is already ${src.seconds} s, the longest a clip can be (${MAX_CLIP_SECONDS} s).`;
  return null;
}

/** An editor source as `extendProblem` reads it. */
export const extendFacts = (src: EditorSource | undefined) =>
  src ? { backend: src.backend, seconds: sourceSeconds(src) } : undefined;

export const sourceSeconds = (src: EditorSource) => Math.round(src.frames / src.fps);
export const extendRoom = (src: EditorSource) => MAX_CLIP_SECONDS - sourceSeconds(src);

/** The seconds typed into Extend, or why they are refused (never clamped). */
export function parseExtendSeconds(text: string, src: EditorSource | undefined): number | string {
  const room = src ? Math.max(0, extendRoom(src)) : 0;
  const v = Number(text);
  if (text.trim() === "" || !Number.isInteger(v)) return "Extend by a whole number of seconds.";
  if (v < 1) return "Extend by at least 1 second.";
  if (v > room)
    return `A ${src ? sourceSeconds(src) : 0} s clip can be extended by at most ${room} s (clips are at most ${MAX_CLIP_SECONDS} s).`;
  return v;
}
