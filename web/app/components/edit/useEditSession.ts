import { HocuspocusProvider } from "@hocuspocus/provider";
import type { TxOrigin } from "@reelhouse/shared/collab/schema";
import { editFromDoc, editUndoManager, initEditDoc } from "@reelhouse/shared/edit/doc";
import { type Edit, editSchema } from "@reelhouse/shared/edit/schema";
import { useEffect, useMemo, useRef, useState } from "react";
import * as Y from "yjs";
import { colorFor, deniedMessage, initialsOf, tokenFetcher } from "../../lib/collab.client";

export type LiveState = "connecting" | "live" | "offline" | "denied";

export interface EditPeer {
  clientId: number;
  id: string;
  name: string;
  color: string;
  initials: string;
  self: boolean;
  /** Where their playhead is (sequence frame) and which clip they selected. */
  frame: number | null;
  clipId: string | null;
}

export interface EditSession {
  doc: Y.Doc;
  origin: TxOrigin;
  /** The timeline as it is now (validated), or the last valid one while `problem` says why not. */
  edit: Edit;
  problem: string | null;
  state: LiveState;
  denied: string | null;
  /** Local changes the server has not acknowledged yet. */
  unsynced: boolean;
  peers: EditPeer[];
  canUndo: boolean;
  canRedo: boolean;
  undo: () => void;
  redo: () => void;
  /** End the current undo step: the next change is undone on its own (a split, a delete, a trim). */
  checkpoint: () => void;
  /** Publish where my playhead is and what I selected (others see it on their timeline). */
  setCursor: (c: { frame?: number; clipId?: string | null }) => void;
}

/**
 * One edit's live timeline (collab document `project.<id>.edit-<editId>`, [C22]): a Y.Doc synced
 * through Hocuspocus with a fresh token on every reconnection, presence over its awareness (the
 * token's own identity, [C42]), and an undo manager that takes back only my changes. The first
 * editor to open an empty document fills it from the saved decision list.
 */
export function useEditSession(o: {
  url: string;
  docName: string;
  token: string;
  tokenPath: string;
  user: { id: string; name: string };
  initial: Edit;
  canEdit: boolean;
}): EditSession {
  const { url, docName, token, tokenPath, user, canEdit } = o;
  // biome-ignore lint/correctness/useExhaustiveDependencies: one document per edit document name
  const doc = useMemo(() => new Y.Doc(), [docName]);
  const origin = useMemo<TxOrigin>(() => ({ kind: "user", userId: user.id }), [user.id]);
  const initialRef = useRef(o.initial);
  const [edit, setEdit] = useState<Edit>(o.initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [state, setState] = useState<LiveState>("connecting");
  const [denied, setDenied] = useState<string | null>(null);
  const [unsynced, setUnsynced] = useState(false);
  const [peers, setPeers] = useState<EditPeer[]>([]);
  const [history, setHistory] = useState({ undo: false, redo: false });
  const providerRef = useRef<HocuspocusProvider | null>(null);
  const undoRef = useRef<Y.UndoManager | null>(null);

  useEffect(() => {
    const read = () => {
      if (doc.getMap("clips").size === 0) return;
      const parsed = editSchema.safeParse(editFromDoc(doc));
      if (parsed.success) {
        setEdit(parsed.data);
        setProblem(null);
      } else {
        const i = parsed.error.issues[0];
        setProblem(`${i?.path.join(".") ?? ""}: ${i?.message ?? "invalid"}`);
      }
    };
    doc.on("update", read);
    const undo = editUndoManager(doc, origin);
    undoRef.current = undo;
    const onStack = () => setHistory({ undo: undo.canUndo(), redo: undo.canRedo() });
    undo.on("stack-item-added", onStack);
    undo.on("stack-item-popped", onStack);
    undo.on("stack-cleared", onStack);

    const me = {
      id: user.id,
      name: user.name,
      color: colorFor(user.id),
      initials: initialsOf(user.name),
    };
    const provider = new HocuspocusProvider({
      url,
      name: docName,
      document: doc,
      token: tokenFetcher(tokenPath, token),
      onSynced: () => {
        setState("live");
        // The first editor in fills the empty document from the saved list (the same list for
        // everyone, so two first openings at once write the same values).
        if (canEdit && doc.getMap("clips").size === 0) initEditDoc(doc, initialRef.current, origin);
        undo.clear();
      },
      onDisconnect: () => setState((s) => (s === "denied" ? s : "offline")),
      onUnsyncedChanges: ({ number }: { number: number }) => setUnsynced(number > 0),
      onAuthenticationFailed: ({ reason }: { reason: string }) => {
        setDenied(deniedMessage(0, reason));
        setState("denied");
      },
      onClose: ({ event }: { event: { code: number; reason: string } }) => {
        const m = deniedMessage(event.code, event.reason);
        if (m) {
          setDenied(m);
          setState("denied");
        }
      },
    } as unknown as ConstructorParameters<typeof HocuspocusProvider>[0]);
    providerRef.current = provider;
    const awareness = provider.awareness;
    const onAwareness = () => {
      if (!awareness) return;
      const list: EditPeer[] = [];
      const seen = new Set<string>();
      for (const [clientId, s] of awareness.getStates()) {
        const u = s?.user as
          | { id?: string; name?: string; color?: string; initials?: string }
          | undefined;
        if (!u?.id) continue;
        const self = clientId === awareness.clientID;
        if (seen.has(u.id) && !self) continue;
        seen.add(u.id);
        list.push({
          clientId,
          id: u.id,
          name: u.name ?? "",
          color: u.color ?? colorFor(u.id),
          initials: u.initials ?? initialsOf(u.name ?? "?"),
          self,
          frame: typeof s.frame === "number" ? s.frame : null,
          clipId: typeof s.clipId === "string" ? s.clipId : null,
        });
      }
      list.sort((a, b) => (a.self ? -1 : b.self ? 1 : a.name.localeCompare(b.name)));
      setPeers(list);
    };
    awareness?.setLocalStateField("user", me);
    awareness?.on("change", onAwareness);
    onAwareness();
    read();
    return () => {
      awareness?.off("change", onAwareness);
      doc.off("update", read);
      undo.destroy();
      provider.destroy();
      providerRef.current = null;
    };
  }, [doc, origin, url, docName, token, tokenPath, user.id, user.name, canEdit]);

  useEffect(() => () => doc.destroy(), [doc]);

  return {
    doc,
    origin,
    edit,
    problem,
    state,
    denied,
    unsynced,
    peers,
    canUndo: history.undo,
    canRedo: history.redo,
    undo: () => undoRef.current?.undo(),
    redo: () => undoRef.current?.redo(),
    checkpoint: () => undoRef.current?.stopCapturing(),
    setCursor: (c) => {
      const a = providerRef.current?.awareness;
      if (!a) return;
      const cur = a.getLocalState() ?? {};
      if (c.frame !== undefined && cur.frame !== c.frame) a.setLocalStateField("frame", c.frame);
      if (c.clipId !== undefined && cur.clipId !== c.clipId)
        a.setLocalStateField("clipId", c.clipId);
    },
  };
}
