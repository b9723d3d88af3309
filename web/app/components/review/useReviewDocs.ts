import { HocuspocusProvider } from "@hocuspocus/provider";
import {
  listNotes,
  type ReviewDocKind,
  type ReviewNote,
  reviewDocName,
} from "@reelhouse/shared/collab/review-doc";
import { useEffect, useMemo, useState } from "react";
import * as Y from "yjs";

export type LiveState = "connecting" | "live" | "offline" | "revoked";
export type DocNotes = ReviewNote & { doc: ReviewDocKind };

/**
 * The review documents of one version, live: one Y.Doc and provider per document kind, a fresh
 * token from `tokenPath` on every (re)connection. A 4410/4403/4401 refusal means access is gone
 * (a revoked or expired link): the state becomes `revoked` and the provider stops.
 */
export function useReviewDocs(o: {
  url: string;
  draftId: string;
  kinds: ReviewDocKind[];
  token: string;
  tokenPath: string;
}) {
  const { url, draftId, token, tokenPath } = o;
  const kindsKey = o.kinds.join(",");
  const docs = useMemo(() => {
    const out: Partial<Record<ReviewDocKind, Y.Doc>> = {};
    for (const k of kindsKey.split(",") as ReviewDocKind[]) out[k] = new Y.Doc();
    return out;
    // One set of documents per version: the player is keyed by the version's id.
  }, [kindsKey]);
  const [notes, setNotes] = useState<DocNotes[]>([]);
  const [state, setState] = useState<LiveState>("connecting");

  useEffect(() => {
    let first = true;
    let gone = false;
    const getToken = async () => {
      if (first) {
        first = false;
        return token;
      }
      const r = await fetch(tokenPath, { credentials: "same-origin" });
      if (!r.ok) {
        gone = true;
        setState("revoked");
        return "";
      }
      return ((await r.json()) as { token: string }).token;
    };
    const refresh = () => {
      const all: DocNotes[] = [];
      for (const [k, d] of Object.entries(docs) as [ReviewDocKind, Y.Doc][])
        for (const n of listNotes(d)) all.push({ ...n, doc: k });
      all.sort((a, b) => a.anchor.frame - b.anchor.frame || a.createdAt - b.createdAt);
      setNotes(all);
    };
    const providers: HocuspocusProvider[] = [];
    for (const [k, d] of Object.entries(docs) as [ReviewDocKind, Y.Doc][]) {
      d.on("update", refresh);
      const p = new HocuspocusProvider({
        url,
        name: reviewDocName(draftId, k),
        document: d,
        token: getToken,
        onSynced: () => !gone && setState("live"),
        onDisconnect: () => !gone && setState("offline"),
        onAuthenticationFailed: () => {
          gone = true;
          setState("revoked");
          p.destroy();
        },
        onClose: ({ event }) => {
          if (/^44(10|03|01)/.test(event.reason ?? "")) {
            gone = true;
            setState("revoked");
            p.destroy();
          }
        },
      } as ConstructorParameters<typeof HocuspocusProvider>[0]);
      providers.push(p);
    }
    refresh();
    return () => {
      for (const p of providers) p.destroy();
      for (const d of Object.values(docs)) d?.off("update", refresh);
    };
  }, [docs, url, draftId, token, tokenPath]);

  return { docs, notes, state };
}
