import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import type * as Y from "yjs";
import { ProjectSession, type SessionOptions } from "../../lib/collab.client";

/**
 * Creates the project's collab session after hydration (Yjs, IndexedDB and WebSockets are
 * browser-only) and destroys it on unmount or when the project changes.
 */
export function useProjectSession(opts: SessionOptions | null): ProjectSession | null {
  const [session, setSession] = useState<ProjectSession | null>(null);
  const optsRef = useRef(opts);
  optsRef.current = opts;
  const key = opts ? `${opts.url}|${opts.projectId}|${opts.user.id}|${opts.kinds.join(",")}` : "";
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` captures every option that matters; the options object itself changes identity on each render
  useEffect(() => {
    const o = optsRef.current;
    if (!o) return;
    const s = new ProjectSession(o);
    setSession(s);
    // Debug/e2e handle: lets tests and the console inspect the live documents.
    (window as unknown as { __reelhouse?: ProjectSession }).__reelhouse = s;
    return () => {
      setSession(null);
      s.destroy();
    };
  }, [key]);
  return session;
}

const noopSubscribe = () => () => {};

/** Re-renders when the session's status or presence changes. */
export function useSessionState(session: ProjectSession | null) {
  const status = useSyncExternalStore(
    session?.subscribe ?? noopSubscribe,
    () => session?.status ?? "connecting",
    () => "connecting" as const,
  );
  const presence = useSyncExternalStore(
    session?.subscribe ?? noopSubscribe,
    () => session?.presence ?? EMPTY,
    () => EMPTY,
  );
  return { status, presence, denied: session?.denied ?? null };
}
const EMPTY: never[] = [];

/**
 * Subscribes to deep changes of a Yjs type and returns `read()` of it; `read` runs on every change,
 * so keep it cheap (the schema's list helpers are).
 */
export function useY<T>(
  doc: Y.Doc | undefined,
  rootName: string,
  read: (doc: Y.Doc) => T,
  empty: T,
): T {
  const [value, setValue] = useState<T>(() => (doc ? read(doc) : empty));
  const readRef = useRef(read);
  readRef.current = read;
  useEffect(() => {
    if (!doc) return;
    const root = doc.getMap(rootName);
    const update = () => setValue(readRef.current(doc));
    update();
    root.observeDeep(update);
    return () => root.unobserveDeep(update);
  }, [doc, rootName]);
  return value;
}
