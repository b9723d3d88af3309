import type { DocKind } from "@reelhouse/shared/collab/docs";
import {
  type Anchor,
  listShots,
  listThreads,
  type Shot,
  type Thread,
  type TxOrigin,
} from "@reelhouse/shared/collab/schema";
import { checkPrompt } from "@reelhouse/shared/prompt/checker";
import type { Editor } from "@tiptap/react";
import { type ReactNode, useCallback, useDeferredValue, useEffect, useMemo, useState } from "react";
import { makeTextAnchor, resolveAnchor } from "../../lib/anchors.client";
import { GeneratePanel } from "../generation/GeneratePanel";
import { JobsPanel } from "../generation/JobsPanel";
import { chosenBackend } from "../generation/requests";
import { RenderSequence, ShotGenerate } from "../generation/StoryboardGeneration";
import { useShotRenderSync } from "../generation/shotRenders";
import { useGeneration } from "../generation/useGeneration";
import { useCsrfToken } from "../ui";
import { Casting, type MemberOption } from "./Casting";
import { CheckerPanel } from "./CheckerPanel";
import { Comments } from "./Comments";
import type { HighlightRange } from "./comment-highlights";
import { useProjectSession, useSessionState, useY } from "./hooks";
import { PresenceAvatars, StatusIndicator } from "./Presence";
import { locate, PromptEditor } from "./PromptEditor";
import { PROJECT_SHORTCUTS, ShortcutsPopover } from "./ShortcutsHelp";
import { Storyboard } from "./Storyboard";
import { usePlan } from "./usePlan";
import "../generation/generation.css";

export type ProjectRole = "owner" | "editor" | "commenter" | "viewer";

export interface ProjectWorkspaceProps {
  projectId: string;
  collabUrl: string;
  token: string;
  tokenPath: string;
  user: { id: string; name: string };
  role: ProjectRole;
  members: MemberOption[];
  posters: Record<string, string>;
  /** Header extras rendered by the route (share and history buttons). */
  actions?: ReactNode;
  title: ReactNode;
}

/** The shot's latest render: its `latestRenderId` draft, else the newest draft made for the shot. */
export function posterFor(
  posters: Record<string, string>,
  shot: Shot,
  base = "/media",
): string | null {
  const id = (shot.latestRenderId && posters[shot.latestRenderId]) || posters[`shot:${shot.id}`];
  return id ? `${base}/${id}` : null;
}

const KINDS: readonly DocKind[] = ["prompt", "storyboard", "casting", "comments"];

function isTyping(el: EventTarget | null): boolean {
  const e = el as HTMLElement | null;
  if (!e) return false;
  return (
    e.isContentEditable ||
    e.tagName === "INPUT" ||
    e.tagName === "TEXTAREA" ||
    e.tagName === "SELECT"
  );
}

/** The live project page: prompt + checker, storyboard, comments/casting, presence and status. */
export function ProjectWorkspace(props: ProjectWorkspaceProps) {
  const canEdit = props.role === "owner" || props.role === "editor";
  const canComment = props.role !== "viewer";
  const sessionOpts = useMemo(
    () => ({
      url: props.collabUrl,
      projectId: props.projectId,
      kinds: KINDS,
      user: { id: props.user.id, name: props.user.name },
      token: props.token,
      tokenPath: props.tokenPath,
    }),
    [
      props.collabUrl,
      props.projectId,
      props.user.id,
      props.user.name,
      props.tokenPath,
      props.token,
    ],
  );
  const session = useProjectSession(sessionOpts);
  const { status, presence, denied } = useSessionState(session);
  const origin: TxOrigin = useMemo(
    () => ({ kind: "user", userId: props.user.id }),
    [props.user.id],
  );

  const [promptText, setPromptText] = useState("");
  const deferredText = useDeferredValue(promptText);
  const check = useMemo(
    () => (session ? checkPrompt(deferredText) : null),
    [deferredText, session],
  );
  const plan = usePlan(props.projectId, session ? deferredText : "");
  const [editor, setEditor] = useState<Editor | null>(null);
  const [focusedShot, setFocusedShot] = useState<string | null>(null);
  const [pending, setPending] = useState<Anchor | null>(null);
  const [tab, setTab] = useState<"comments" | "casting">("comments");
  const [help, setHelp] = useState(false);
  const onDraft = useShotRenderSync(session?.docs.storyboard, canEdit);
  const gen = useGeneration({ projectId: props.projectId, onDraft });
  // The storyboard's shot lengths follow the backend the project renders with.
  const renderBackend = chosenBackend(gen.backends, gen.settings.backend);
  const storyboardDurations = renderBackend
    ? { values: renderBackend.capabilities.durations, label: renderBackend.label }
    : undefined;

  const shots = useY(session?.docs.storyboard, "shots", listShots, [] as Shot[]);
  const threads = useY(session?.docs.comments, "threads", listThreads, [] as Thread[]);
  const shotLabel = useCallback(
    (id: string) => {
      const i = shots.findIndex((s) => s.id === id);
      return i < 0 ? null : `Shot ${i + 1}`;
    },
    [shots],
  );
  const commentCounts = useMemo(() => {
    const out: Record<string, number> = {};
    for (const t of threads)
      if (t.anchor.kind === "shot" && !t.resolved)
        out[t.anchor.shotId] = (out[t.anchor.shotId] ?? 0) + 1;
    return out;
  }, [threads]);

  useEffect(() => session?.setViewingShot(focusedShot), [session, focusedShot]);

  const commentOnShot = useCallback((shotId: string) => {
    setPending({ kind: "shot", shotId });
    setTab("comments");
  }, []);

  const commentOnSelection = useCallback((): boolean => {
    if (!editor || !session) return false;
    const { from, to, $from, $to } = editor.state.selection;
    if (from === to || $from.depth !== 1 || $to.depth !== 1 || $from.index(0) !== $to.index(0))
      return false;
    const anchor = makeTextAnchor(
      session.docs.prompt,
      $from.index(0),
      $from.parentOffset,
      $to.parentOffset,
    );
    if (!anchor) return false;
    setPending(anchor);
    setTab("comments");
    return true;
  }, [editor, session]);

  const jump = useCallback(
    (a: Anchor) => {
      if (a.kind === "shot") {
        document.querySelector<HTMLElement>(`[data-shot-id="${a.shotId}"]`)?.focus();
        return;
      }
      if (!editor || !session) return;
      const r = resolveAnchor(session.docs.prompt, a);
      if (!r) return;
      let pos = 0;
      for (let i = 0; i < r.blockIndex; i++) pos += editor.state.doc.child(i).nodeSize;
      editor
        .chain()
        .focus()
        .setTextSelection({ from: pos + 1 + r.from, to: pos + 1 + r.to })
        .scrollIntoView()
        .run();
    },
    [editor, session],
  );

  // Page-wide shortcuts: "?" help, Alt+N new shot, Alt+M comment.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "?" && !isTyping(e.target) && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        setHelp(true);
      } else if (e.altKey && e.code === "KeyN" && canEdit && session) {
        e.preventDefault();
        document.querySelector<HTMLButtonElement>('[data-action="add-shot"]')?.click();
      } else if (e.altKey && e.code === "KeyM" && canComment) {
        e.preventDefault();
        if (!commentOnSelection() && focusedShot) commentOnShot(focusedShot);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [canEdit, canComment, session, commentOnSelection, commentOnShot, focusedShot]);

  const highlightRanges = useCallback((): HighlightRange[] => {
    if (!session) return [];
    const out: HighlightRange[] = [];
    for (const t of threads) {
      if (t.resolved || t.anchor.kind !== "text") continue;
      const r = resolveAnchor(session.docs.prompt, t.anchor);
      if (r) out.push({ id: t.id, blockIndex: r.blockIndex, from: r.from, to: r.to });
    }
    return out;
  }, [session, threads]);

  // After posting a comment: the server notifies the members it @mentions, reading the comment
  // from the stored document — retry while the collab server has not stored it yet (409).
  const csrf = useCsrfToken();
  const notifyMentions = useCallback(
    async (messageId: string) => {
      for (let attempt = 0; attempt < 8; attempt++) {
        const res = await fetch(`/projects/${props.projectId}/mentions`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ csrf, messageId }),
        }).catch(() => null);
        if (res && res.status !== 409) return;
        await new Promise((r) => setTimeout(r, 400 * (attempt + 1)));
      }
    },
    [csrf, props.projectId],
  );

  const selectRange = useCallback(
    (from: number, to: number) => {
      if (!editor) return;
      const a = locate(editor, from);
      const b = locate(editor, to);
      if (a !== null && b !== null)
        editor.chain().focus().setTextSelection({ from: a, to: b }).run();
    },
    [editor],
  );

  return (
    <div className="rh-project" data-role={props.role}>
      <header className="rh-project-head">
        <div className="rh-project-title">{props.title}</div>
        <div className="rh-project-tools">
          <PresenceAvatars presence={presence} shotLabel={shotLabel} />
          <StatusIndicator status={status} denied={denied} />
          {props.actions}
          <ShortcutsPopover
            shortcuts={PROJECT_SHORTCUTS}
            open={help}
            onToggle={setHelp}
            id="project-shortcuts"
            buttonClassName="rh-btn rh-btn-ghost rh-btn-sm rh-help-btn"
          />
        </div>
      </header>
      {denied && (
        <div className="alert alert-error" role="alert">
          {denied}
        </div>
      )}
      {!canEdit && (
        <p className="rh-readonly-note">
          You are a <strong>{props.role}</strong> here: the prompt, storyboard and casting are
          read-only
          {canComment ? ", but you can comment." : "."}
        </p>
      )}
      <div className="rh-project-grid">
        <div className="rh-project-main">
          {session ? (
            <PromptEditor
              key={session.docs.prompt.guid}
              doc={session.docs.prompt}
              provider={session.providers.prompt}
              user={session.user}
              canEdit={canEdit}
              check={check}
              onText={setPromptText}
              onEditor={setEditor}
              highlights={highlightRanges}
              highlightsVersion={threads}
            />
          ) : (
            <section className="rh-prompt">
              <header className="rh-section-head">
                <h2>Prompt</h2>
              </header>
              <div className="rh-prompt-editor rh-skeleton" aria-busy="true" />
            </section>
          )}
          <GeneratePanel gen={gen} prompt={promptText} canEdit={canEdit} />
          <Storyboard
            doc={session?.docs.storyboard}
            canEdit={canEdit}
            origin={origin}
            presence={presence}
            posterUrl={(shot) =>
              posterFor(props.posters, shot, `/projects/${props.projectId}/posters`)
            }
            toolbar={<RenderSequence gen={gen} shots={shots} canEdit={canEdit} />}
            durations={storyboardDurations}
            shotExtra={(shot, i) => (
              <ShotGenerate gen={gen} shot={shot} index={i} canEdit={canEdit} />
            )}
            focusedShotId={focusedShot}
            onFocusShot={setFocusedShot}
            commentCounts={commentCounts}
            onComment={canComment ? commentOnShot : undefined}
          />
          <JobsPanel
            gen={gen}
            canEdit={canEdit}
            isOwner={props.role === "owner"}
            userId={props.user.id}
          />
        </div>
        <div className="rh-project-side">
          <CheckerPanel
            check={check}
            plan={plan}
            onSelectRange={canEdit ? selectRange : undefined}
          />
          <section className="rh-card rh-side-tabs">
            <div className="rh-tabs" role="tablist">
              <button
                type="button"
                role="tab"
                aria-selected={tab === "comments"}
                className={tab === "comments" ? "is-on" : ""}
                onClick={() => setTab("comments")}
              >
                Comments
                {threads.filter((t) => !t.resolved).length > 0 && (
                  <span className="rh-count">{threads.filter((t) => !t.resolved).length}</span>
                )}
              </button>
              <button
                type="button"
                role="tab"
                aria-selected={tab === "casting"}
                className={tab === "casting" ? "is-on" : ""}
                onClick={() => setTab("casting")}
              >
                Casting
              </button>
            </div>
            {tab === "comments" ? (
              <Comments
                doc={session?.docs.comments}
                promptDoc={session?.docs.prompt}
                author={{ id: props.user.id, name: props.user.name }}
                canComment={canComment}
                origin={origin}
                members={props.members}
                shotLabel={shotLabel}
                pending={pending}
                onClearPending={() => setPending(null)}
                onJump={jump}
                onPosted={notifyMentions}
              />
            ) : (
              <Casting
                doc={session?.docs.casting}
                canEdit={canEdit}
                origin={origin}
                members={props.members}
              />
            )}
          </section>
        </div>
      </div>
    </div>
  );
}
