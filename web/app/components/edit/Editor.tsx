import {
  deleteClip,
  moveClip,
  readEdit,
  setGrade,
  splitClip,
  trimClip,
} from "@reelhouse/shared/edit/doc";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useRevalidator } from "react-router";
import { ShortcutsPopover } from "../project/ShortcutsHelp";
import { postForm } from "./api";
import { insertClipAfter, swapToExtension } from "./clip-ops";
import { ExtendPanel } from "./ExtendPanel";
import { extendFacts, extendProblem } from "./extend-rules";
import { Inspector, type Tab } from "./Inspector";
import { RenderPanel } from "./RenderPanel";
import { EDITOR_SHORTCUTS } from "./shortcuts";
import { Timeline } from "./Timeline";
import {
  fitToLength,
  locate,
  outputAxis,
  placeClips,
  sequenceAtOutput,
  sequenceLength,
  timecode,
} from "./timeline";
import type { EditorSource, Waveform } from "./types";
import { useEditSession } from "./useEditSession";
import { useProjectJobs } from "./useProjectJobs";
import { Viewer } from "./Viewer";

export interface EditorProps {
  projectId: string;
  projectTitle: string;
  editId: string;
  title: string;
  docName: string;
  collabUrl: string;
  token: string;
  user: { id: string; name: string };
  canEdit: boolean;
  csrf: string;
  initial: Parameters<typeof useEditSession>[0]["initial"];
  sources: Record<string, EditorSource>;
}

const isTyping = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));

/**
 * The editor: viewer + transport on top, the inspector beside it (below on a phone), the timeline
 * across the bottom and the render panel. Every change goes to the shared Yjs timeline, so other
 * editors see it live; undo takes back only mine. On a phone (≤ 900 px) the timeline comes right
 * under the viewer, then the inspector and render (editor.css).
 */
export function Editor(p: EditorProps) {
  // The first token only: the loader is revalidated when a new draft appears (Extend), and a new
  // token must not reconnect the document (the provider fetches a fresh one when it reconnects).
  const [token] = useState(p.token);
  const session = useEditSession({
    url: p.collabUrl,
    docName: p.docName,
    token,
    tokenPath: `/projects/${p.projectId}/collab-token`,
    user: p.user,
    initial: p.initial,
    canEdit: p.canEdit,
  });
  const { edit } = session;
  const fps = edit.fps;
  const placed = useMemo(() => placeClips(edit, p.sources), [edit, p.sources]);
  const length = Math.max(1, sequenceLength(placed));
  const axis = useMemo(() => outputAxis(edit.speed, length), [edit.speed, length]);
  const outputLength = Math.round(axis[length] ?? length);

  const [frame, setFrameRaw] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [selected, setSelected] = useState<string | null>(p.initial.clips[0]?.id ?? null);
  const [tab, setTab] = useState<Tab>("clip");
  const [compare, setCompare] = useState(false);
  const [help, setHelp] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [fitSeconds, setFitSeconds] = useState("");
  const [zoom, setZoom] = useState(1);
  const [waveforms, setWaveforms] = useState<Record<string, Waveform | undefined>>({});
  const [extendOpen, setExtendOpen] = useState(false);
  const [hurry, setHurry] = useState(false);

  // One poller for the render and Extend panels: this edit's renders, extensions of its drafts.
  const watched = useCallback(
    (j: { workflowId: string; kind: string }) =>
      (j.kind === "edit" && j.workflowId.startsWith(`edit:${p.editId}:`)) ||
      (j.workflowId.startsWith("extend:") && j.workflowId.split(":")[1]! in p.sources),
    [p.editId, p.sources],
  );
  const { jobs, refresh } = useProjectJobs(p.projectId, watched, hurry);
  const renderJobs = useMemo(
    () => jobs.filter((j) => j.kind === "edit" && j.workflowId.startsWith(`edit:${p.editId}:`)),
    [jobs, p.editId],
  );

  // A draft the page has no facts for — a finished extension, or a clip a co-editor just put on
  // the timeline — comes with the loader: revalidate (every 2 s while one is missing, 15 tries).
  const revalidator = useRevalidator();
  const missing = useMemo(() => {
    const ids = new Set(edit.clips.map((c) => c.draftId));
    for (const j of jobs)
      if (j.status === "succeeded" && j.draft && j.workflowId.startsWith("extend:"))
        if (j.workflowId.split(":")[1]! in p.sources) ids.add(j.draft.id);
    return [...ids].filter((id) => !(id in p.sources)).join(",");
  }, [edit.clips, jobs, p.sources]);
  const tries = useRef<{ key: string; n: number }>({ key: "", n: 0 });
  useEffect(() => {
    if (!missing || revalidator.state !== "idle") return;
    if (tries.current.key !== missing) tries.current = { key: missing, n: 0 };
    if (tries.current.n >= 15) return;
    const t = setTimeout(
      () => {
        tries.current.n++;
        void revalidator.revalidate();
      },
      tries.current.n === 0 ? 0 : 2000,
    );
    return () => clearTimeout(t);
  }, [missing, revalidator]);

  const setFrame = useCallback(
    (f: number) => setFrameRaw(Math.max(0, Math.min(length - 1, Math.round(f)))),
    [length],
  );
  useEffect(() => {
    if (frame > length - 1) setFrameRaw(length - 1);
  }, [frame, length]);
  // My playhead and selection, for the others' timelines (throttled by React's batching).
  useEffect(
    () => session.setCursor({ frame, clipId: selected }),
    [frame, selected, session.setCursor],
  );
  useEffect(() => {
    if (selected && !edit.clips.some((c) => c.id === selected))
      setSelected(edit.clips[0]?.id ?? null);
  }, [edit.clips, selected]);

  useEffect(() => {
    let stop = false;
    for (const s of Object.values(p.sources)) {
      fetch(s.peaksUrl, { headers: { accept: "application/json" } })
        .then((r) => (r.ok ? (r.json() as Promise<Waveform>) : null))
        .then((w) => !stop && w && setWaveforms((m) => ({ ...m, [s.draftId]: w })))
        .catch(() => undefined);
    }
    return () => {
      stop = true;
    };
  }, [p.sources]);

  const loopSeq = useMemo(() => {
    const l = edit.loop;
    if (!l?.enabled) return null;
    return {
      start: sequenceAtOutput(axis, l.startFrame),
      end: Math.max(1, sequenceAtOutput(axis, l.endFrame - 1) + 1),
    };
  }, [edit.loop, axis]);

  const selectedClip = placed.find((c) => c.id === selected) ?? null;
  const flash = (m: string) => {
    setNotice(m);
    window.setTimeout(() => setNotice((n) => (n === m ? null : n)), 4000);
  };
  const guard = (fn: () => void) => {
    if (!p.canEdit) return flash("You can watch this edit; only editors and owners change it.");
    try {
      session.checkpoint();
      fn();
      // One operation, one undo step (slider drags, outside guard, still merge into one).
      session.checkpoint();
    } catch (err) {
      flash(err instanceof Error ? capital(err.message) : "That change was refused.");
    }
  };

  const split = () =>
    guard(() => {
      const here = locate(placed, p.sources, fps, frame);
      if (!here) return;
      if (here.sourceFrame <= here.clip.inFrame)
        throw new Error("move the playhead inside a clip, past its first frame, to split it");
      const id = `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
      splitClip(session.doc, here.clip.id, here.sourceFrame, id, session.origin);
      setSelected(id);
    });
  const remove = () =>
    guard(() => {
      if (!selected) throw new Error("select a clip to delete");
      deleteClip(session.doc, selected, session.origin);
    });
  const trimAtPlayhead = (end: "in" | "out") =>
    guard(() => {
      const here = locate(placed, p.sources, fps, frame);
      const c = selectedClip ?? here?.clip;
      if (!c || !here || here.clip.id !== c.id)
        throw new Error("put the playhead inside the selected clip");
      trimClip(
        session.doc,
        c.id,
        end === "in" ? { inFrame: here.sourceFrame } : { outFrame: here.sourceFrame + 1 },
        session.origin,
      );
    });
  const move = (delta: number) =>
    guard(() => {
      if (!selectedClip) throw new Error("select a clip to move");
      moveClip(session.doc, selectedClip.id, selectedClip.index + delta, session.origin);
    });
  const fit = () =>
    guard(() => {
      const secs = Number(fitSeconds);
      if (!Number.isFinite(secs) || secs <= 0) throw new Error("enter the length in seconds");
      const r = fitToLength(edit, p.sources, Math.round(secs * fps));
      if (!r.ok) throw new Error(r.error);
      session.doc.transact(() => {
        for (const [id, out] of Object.entries(r.outFrames))
          trimClip(session.doc, id, { outFrame: out }, session.origin);
      }, session.origin);
    });

  const playExtension = (ext: EditorSource) =>
    guard(() => {
      if (!selectedClip) throw new Error("select the clip to use the extension in");
      swapToExtension(
        session.doc,
        selectedClip.id,
        { draftId: ext.draftId, frames: ext.frames },
        session.origin,
      );
      flash(
        `Clip ${selectedClip.index + 1} now plays the ${(ext.frames / ext.fps).toFixed(0)} s version.`,
      );
    });
  const addExtended = (ext: EditorSource) =>
    guard(() => {
      const id = `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
      insertClipAfter(
        session.doc,
        selectedClip?.id ?? edit.clips.at(-1)!.id,
        { id, draftId: ext.draftId, frames: ext.frames },
        session.origin,
      );
      setSelected(id);
    });

  const current = () => {
    try {
      return readEdit(session.doc);
    } catch {
      return null;
    }
  };

  // Keep the saved list (exports, a fresh document) in step with the live one.
  const saveTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reads the live document, not a render's copy
  const save = useCallback(async () => {
    const e = current();
    if (!e || !p.canEdit) return;
    const r = await postForm(`/projects/${p.projectId}/edits/${p.editId}`, {
      csrf: p.csrf,
      intent: "save",
      edl: JSON.stringify(e),
    });
    if (!r.ok) flash(r.error);
  }, [p.projectId, p.editId, p.csrf, p.canEdit]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `edit` is the trigger (every change restarts the debounce)
  useEffect(() => {
    if (!p.canEdit || session.state !== "live") return;
    clearTimeout(saveTimer.current);
    saveTimer.current = setTimeout(() => void save(), 2500);
    return () => clearTimeout(saveTimer.current);
  }, [edit, save, p.canEdit, session.state]);

  const exportAs = async (format: "csv" | "edl") => {
    await save();
    const a = document.createElement("a");
    a.href = `/projects/${p.projectId}/edits/${p.editId}/export/${format}`;
    a.download = "";
    a.click();
  };

  const findLoop = async () => {
    const e = current();
    if (!e) return "The timeline is not valid right now.";
    const r = await postForm(`/projects/${p.projectId}/edits/${p.editId}`, {
      csrf: p.csrf,
      intent: "loop",
      edl: JSON.stringify({ ...e, loop: null }),
    });
    if (!r.ok) return r.error;
    const found = r.loop as { startFrame: number; endFrame: number } | null;
    if (!found) return "No good loop point: no two moments of this edit look alike enough.";
    const xf = Math.min(
      e.loop?.crossfadeFrames ?? 8,
      Math.floor((found.endFrame - found.startFrame - 2) / 2),
    );
    guard(() =>
      session.doc.transact(() => {
        session.doc.getMap("loop").set("enabled", true);
        session.doc.getMap("loop").set("startFrame", found.startFrame);
        session.doc.getMap("loop").set("endFrame", found.endFrame);
        session.doc.getMap("loop").set("crossfadeFrames", Math.max(0, xf));
      }, session.origin),
    );
    setFrame(sequenceAtOutput(axis, found.startFrame));
    return null;
  };

  const uploadLut = async (f: File) => {
    if (!f.name.toLowerCase().endsWith(".cube")) return "Choose a .cube file.";
    if (f.size > 12 * 1024 * 1024) return "The LUT is too large (12 MB at most).";
    const r = await postForm(`/projects/${p.projectId}/edits/${p.editId}`, {
      csrf: p.csrf,
      intent: "lut",
      lut: f,
    });
    if (!r.ok) return r.error;
    const lut = r.lut as { mediaId: string };
    guard(() => setGrade(session.doc, { lutMediaId: lut.mediaId, lutMix: 1 }, session.origin));
    return null;
  };

  // Keyboard: the editor's shortcuts, except while typing in a field (re-bound each render, so the
  // handlers see the latest state).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === "z") {
        if (isTyping(e.target)) return;
        e.preventDefault();
        if (e.shiftKey) session.redo();
        else session.undo();
        return;
      }
      if (mod && e.key.toLowerCase() === "y") {
        if (isTyping(e.target)) return;
        e.preventDefault();
        session.redo();
        return;
      }
      if (isTyping(e.target) || mod) return;
      const step = e.shiftKey ? fps : 1;
      switch (e.key) {
        case " ":
        case "k":
        case "K":
          e.preventDefault();
          setPlaying((x) => !x);
          break;
        case "ArrowLeft":
          e.preventDefault();
          if (e.altKey) move(-1);
          else {
            setPlaying(false);
            setFrame(frame - step);
          }
          break;
        case "ArrowRight":
          e.preventDefault();
          if (e.altKey) move(1);
          else {
            setPlaying(false);
            setFrame(frame + step);
          }
          break;
        case "Home":
          e.preventDefault();
          setFrame(0);
          break;
        case "End":
          e.preventDefault();
          setFrame(length - 1);
          break;
        case "s":
        case "S":
          e.preventDefault();
          split();
          break;
        case "i":
        case "I":
          trimAtPlayhead("in");
          break;
        case "o":
        case "O":
          trimAtPlayhead("out");
          break;
        case "Delete":
        case "Backspace":
          e.preventDefault();
          remove();
          break;
        case "e":
        case "E":
          e.preventDefault();
          setExtendOpen((x) => !x);
          break;
        case "\\":
          setCompare((c) => !c);
          break;
        case "?":
          setHelp((h) => !h);
          break;
        case "Escape":
          setHelp(false);
          setExtendOpen(false);
          break;
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const here = locate(placed, p.sources, fps, frame);
  const others = session.peers.filter((x) => !x.self);
  return (
    <div className="rh-ed" data-testid="editor" data-live={session.state}>
      <header className="rh-ed-head">
        <div className="rh-ed-title">
          <nav className="rh-breadcrumb" aria-label="Breadcrumb">
            <Link to={`/projects/${p.projectId}`}>← {p.projectTitle}</Link>
          </nav>
          <h1>{p.title || "Untitled edit"}</h1>
        </div>
        <div className="rh-ed-head-tools">
          <span
            className={`rh-status rh-status-${session.state === "live" ? (session.unsynced ? "syncing" : "saved") : session.state === "denied" ? "denied" : "offline"}`}
            role="status"
            data-testid="live-state"
            title={session.denied ?? undefined}
          >
            <span className="rh-status-dot" aria-hidden="true" />
            {session.state === "live"
              ? session.unsynced
                ? "Syncing…"
                : "Live"
              : session.state === "connecting"
                ? "Connecting…"
                : session.state === "denied"
                  ? "No access"
                  : "Offline"}
          </span>
          <fieldset
            className="rh-presence rh-ed-presence"
            data-testid="presence"
            aria-label={`${session.peers.length} on this edit`}
          >
            {session.peers.slice(0, 5).map((x) => (
              <span
                key={x.clientId}
                className={`rh-avatar${x.self ? " is-self" : ""}`}
                style={{ background: x.color }}
                title={`${x.name}${x.self ? " (you)" : ""}${x.frame !== null ? ` · at ${timecode(x.frame, fps)}` : ""}`}
                role="img"
                aria-label={`${x.name}${x.self ? " (you)" : ""}`}
              >
                {x.initials}
              </span>
            ))}
          </fieldset>
          <button
            type="button"
            className="rh-btn rh-btn-sm rh-btn-ghost"
            onClick={session.undo}
            disabled={!session.canUndo}
            title="Undo (Ctrl/⌘+Z)"
            aria-label="Undo"
          >
            ↶
          </button>
          <button
            type="button"
            className="rh-btn rh-btn-sm rh-btn-ghost"
            onClick={session.redo}
            disabled={!session.canRedo}
            title="Redo (Shift+Ctrl/⌘+Z)"
            aria-label="Redo"
          >
            ↷
          </button>
          <details className="rh-ed-menu">
            <summary className="rh-btn rh-btn-sm rh-btn-ghost">Export</summary>
            <div className="rh-ed-menu-list">
              <button
                type="button"
                className="rh-btn rh-btn-sm rh-btn-ghost"
                onClick={() => void exportAs("csv")}
              >
                CSV (one row per clip)
              </button>
              <button
                type="button"
                className="rh-btn rh-btn-sm rh-btn-ghost"
                onClick={() => void exportAs("edl")}
              >
                EDL (CMX3600)
              </button>
            </div>
          </details>
          <ShortcutsPopover
            shortcuts={EDITOR_SHORTCUTS}
            open={help}
            onToggle={setHelp}
            id="ed-shortcuts"
          />
        </div>
      </header>
      {session.denied ? (
        <p className="rh-form-error" role="alert">
          {session.denied}
        </p>
      ) : null}
      {session.problem ? (
        <p className="rh-form-error" role="alert">
          Two changes crossed and the timeline does not add up ({session.problem}); the last valid
          one is shown. Undo or fix the clip.
        </p>
      ) : null}
      {!p.canEdit ? (
        <p className="rh-ed-note">You are watching: only editors and owners change this edit.</p>
      ) : null}
      {others.length > 0 ? (
        <p className="rh-sr-only" aria-live="polite">
          {others.map((x) => x.name).join(", ")} editing with you
        </p>
      ) : null}

      <div className="rh-ed-main">
        <div className="rh-ed-stage">
          <Viewer
            edit={edit}
            placed={placed}
            sources={p.sources}
            frame={frame}
            playing={playing}
            loop={loopSeq}
            compare={compare}
            onFrame={setFrameRaw}
            onStop={() => setPlaying(false)}
          />
          <div className="rh-ed-transport">
            <button
              type="button"
              className="rh-btn rh-btn-sm rh-btn-ghost"
              aria-label="Previous frame"
              onClick={() => setFrame(frame - 1)}
            >
              ◀︎|
            </button>
            <button
              type="button"
              className="rh-btn rh-btn-sm rh-btn-primary rh-ed-play"
              onClick={() => setPlaying((x) => !x)}
              aria-label={playing ? "Pause" : "Play"}
              data-testid="play"
            >
              {playing ? "❚❚" : "▶︎"}
            </button>
            <button
              type="button"
              className="rh-btn rh-btn-sm rh-btn-ghost"
              aria-label="Next frame"
              onClick={() => setFrame(frame + 1)}
            >
              |▶︎
            </button>
            <span className="rh-ed-timecode" data-testid="timecode" data-frame={frame}>
              {timecode(frame, fps)} <span className="rh-muted">/ {timecode(length, fps)}</span>
            </span>
            <span className="rh-muted rh-small rh-ed-where">
              {here ? `clip ${here.clip.index + 1} · source frame ${here.sourceFrame}` : ""}
            </span>
            <button
              type="button"
              className={`rh-btn rh-btn-xs${compare ? " rh-btn-primary" : " rh-btn-ghost"}`}
              aria-pressed={compare}
              onClick={() => setCompare((c) => !c)}
              title="Compare with the original (\)"
            >
              Before/after
            </button>
          </div>
        </div>
        <Inspector
          session={session}
          tab={tab}
          onTab={setTab}
          selected={selectedClip}
          sources={p.sources}
          frame={frame}
          outputFrame={axis[frame] ?? frame}
          outputLength={outputLength}
          canEdit={p.canEdit}
          onFindLoop={findLoop}
          onUploadLut={uploadLut}
          onSplit={split}
          onDelete={remove}
        />
      </div>

      <section className="rh-card rh-ed-timeline" aria-label="Timeline">
        <div className="rh-ed-tools">
          <button
            type="button"
            className="rh-btn rh-btn-xs"
            onClick={split}
            disabled={!p.canEdit}
            title="Split at the playhead (S)"
          >
            Split
          </button>
          <button
            type="button"
            className="rh-btn rh-btn-xs"
            onClick={remove}
            disabled={!p.canEdit || edit.clips.length <= 1}
            title="Delete the selected clip (Delete)"
          >
            Delete
          </button>
          <button
            type="button"
            className={`rh-btn rh-btn-xs${extendOpen ? " rh-btn-primary" : ""}`}
            aria-expanded={extendOpen}
            aria-controls="ed-extend"
            onClick={() => setExtendOpen((x) => !x)}
            title={
              extendProblem(
                extendFacts(selectedClip ? p.sources[selectedClip.draftId] : undefined),
                p.canEdit,
              ) ?? "Extend the selected clip by a few seconds (E)"
            }
            data-testid="extend-open"
          >
            Extend…
          </button>
          <form
            className="rh-ed-fit"
            onSubmit={(e) => {
              e.preventDefault();
              fit();
            }}
          >
            <label>
              Fit to
              <input
                type="number"
                min="0.1"
                step="0.1"
                inputMode="decimal"
                value={fitSeconds}
                placeholder={(length / fps).toFixed(1)}
                onChange={(e) => setFitSeconds(e.target.value)}
                aria-label="Target length in seconds"
                disabled={!p.canEdit}
              />
              s
            </label>
            <button type="submit" className="rh-btn rh-btn-xs" disabled={!p.canEdit}>
              Fit
            </button>
          </form>
          <span className="rh-muted rh-small rh-ed-length">
            {edit.clips.length} {edit.clips.length === 1 ? "clip" : "clips"} ·{" "}
            {(length / fps).toFixed(2)} s
            {outputLength !== length ? ` → ${(outputLength / fps).toFixed(2)} s after speed` : ""}
          </span>
          <span className="rh-ed-zoom">
            <button
              type="button"
              className="rh-btn rh-btn-xs rh-btn-ghost"
              aria-label="Zoom out"
              disabled={zoom <= 1}
              onClick={() => setZoom((z) => Math.max(1, z / 1.5))}
            >
              −
            </button>
            <button
              type="button"
              className="rh-btn rh-btn-xs rh-btn-ghost"
              aria-label="Zoom in"
              disabled={zoom >= 40}
              onClick={() => setZoom((z) => Math.min(40, z * 1.5))}
            >
              +
            </button>
          </span>
        </div>
        {extendOpen ? (
          <div id="ed-extend">
            <ExtendPanel
              projectId={p.projectId}
              csrf={p.csrf}
              canEdit={p.canEdit}
              clip={selectedClip}
              sources={p.sources}
              jobs={jobs}
              refresh={refresh}
              onBusy={setHurry}
              onUse={playExtension}
              onAdd={addExtended}
              onClose={() => setExtendOpen(false)}
            />
          </div>
        ) : null}
        {notice ? (
          <p className="rh-form-error" role="alert" data-testid="notice">
            {notice}
          </p>
        ) : null}
        <Timeline
          edit={edit}
          sources={p.sources}
          waveforms={waveforms}
          frame={frame}
          selected={selected}
          loop={loopSeq}
          peers={session.peers}
          canEdit={p.canEdit}
          onSeek={(f) => {
            setPlaying(false);
            setFrame(f);
          }}
          onSelect={(id) => {
            setSelected(id);
          }}
          onTrim={(id, t) => guard(() => trimClip(session.doc, id, t, session.origin))}
          onMove={(id, i) => guard(() => moveClip(session.doc, id, i, session.origin))}
          zoom={zoom}
          onTransition={(id) => {
            setSelected(id);
            setTab("clip");
          }}
        />
      </section>

      <RenderPanel
        projectId={p.projectId}
        editId={p.editId}
        csrf={p.csrf}
        canEdit={p.canEdit}
        current={current}
        jobs={renderJobs}
        refresh={refresh}
        onBusy={setHurry}
      />
    </div>
  );
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
