import { type TxOrigin, updateShot } from "@reelhouse/shared/collab/schema";
import { useCallback } from "react";
import type * as Y from "yjs";
import type { JobJson } from "./types";

/** Not a person's edit: kept out of their storyboard undo history (which tracks their own origin). */
const RENDER_ORIGIN: TxOrigin = { kind: "server", reason: "latest render" };

/**
 * When a shot render this browser asked for finishes, its draft becomes the shot's
 * `latestRenderId` in the shared storyboard, so every collaborator's card shows it.
 */
export function useShotRenderSync(
  storyboard: Y.Doc | undefined,
  canEdit: boolean,
): (job: JobJson) => void {
  return useCallback(
    (job: JobJson) => {
      if (!storyboard || !canEdit || !job.shotId || !job.draft) return;
      try {
        updateShot(storyboard, job.shotId, { latestRenderId: job.draft.id }, RENDER_ORIGIN);
      } catch {
        // the shot was deleted meanwhile: nothing to update
      }
    },
    [storyboard, canEdit],
  );
}
