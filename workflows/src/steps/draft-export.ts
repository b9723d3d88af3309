import path from "node:path";
import { draftSourceFacts } from "@reelhouse/shared/provenance/facts.server";
import { payloadOf } from "@reelhouse/shared/provenance/invisible-mark";
import { writeMarkedVideo } from "@reelhouse/shared/provenance/marked-video.server";
import { stepSignal } from "./cancel.ts";
import { stepPool } from "./context.ts";
import type { StoreDraftInput } from "./store.ts";

/**
 * The draft's export (drafts.export_path): its video with the visible watermark (the requester's
 * @username) and the invisible mark of the draft's id, C2PA-signed after the marks. Written beside
 * the master before the draft row exists, so every route that serves a draft's video to a person
 * or the API (studio, review links, /v1/videos/{id}/content) serves a marked, signed file.
 */
export async function writeDraftExport(d: StoreDraftInput, draftId: string): Promise<string> {
  const dest = path.join(path.dirname(d.videoPath), "export.mp4");
  const u = await stepPool().query<{ username: string }>(
    "SELECT username FROM users WHERE id = $1",
    [d.userId],
  );
  const facts = await draftSourceFacts(stepPool(), { ...d, draftId });
  await writeMarkedVideo({
    source: d.videoPath,
    dest,
    payload: payloadOf(draftId),
    username: u.rows[0]?.username ?? "reelhouse",
    facts: { ...facts, kind: "draft-export", format: "video/mp4", title: "export.mp4" },
    signal: stepSignal(),
  });
  return dest;
}
