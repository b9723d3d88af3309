import {
  type Anchor,
  type Author,
  addThread,
  listThreads,
  reply,
  setResolved,
  type Thread,
  type TxOrigin,
} from "@reelhouse/shared/collab/schema";
import { Fragment, useMemo, useRef, useState } from "react";
import type * as Y from "yjs";
import { resolveAnchor } from "../../lib/anchors.client";
import type { MemberOption } from "./Casting";
import { useY } from "./hooks";
import { CommentIcon } from "./Storyboard";

export interface CommentsProps {
  doc: Y.Doc | undefined;
  /** The prompt document, to quote text-range anchors (absent for share-link guests). */
  promptDoc?: Y.Doc;
  author: Author;
  canComment: boolean;
  origin: TxOrigin;
  members: MemberOption[];
  shotLabel: (shotId: string) => string | null;
  /** An anchor the person just picked (a shot's comment button, or a text selection + Alt+M). */
  pending: Anchor | null;
  onClearPending: () => void;
  onJump?: (anchor: Anchor) => void;
  /** Whether threads can be anchored to prompt text here (not on the guest page). */
  textAnchors?: boolean;
  /** Whether this person may resolve and reopen threads (members; not guests). */
  canResolve?: boolean;
  /** Called with the id of each message this person posts (e.g. to notify @mentions). */
  onPosted?: (messageId: string) => void;
}

type Filter = "open" | "resolved" | "all";

function timeAgo(ms: number): string {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(ms).toLocaleDateString();
}

/** Renders a comment body with @mentions highlighted. */
function Body(props: { text: string }) {
  const parts = props.text.split(/(@[A-Za-z0-9_.]{3,30})/g);
  return (
    <p className="rh-comment-body">
      {parts.map((p, i) =>
        p.startsWith("@") ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one immutable string
          <span key={i} className="rh-mention">
            {p}
          </span>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one immutable string
          <Fragment key={i}>{p}</Fragment>
        ),
      )}
    </p>
  );
}

/** A textarea that suggests workspace members after "@". */
function MentionBox(props: {
  value: string;
  onChange: (v: string) => void;
  onSubmit: () => void;
  members: MemberOption[];
  placeholder: string;
  label: string;
  autoFocus?: boolean;
}) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const [caret, setCaret] = useState(0);
  const before = props.value.slice(0, caret);
  const m = /(^|\s)@([A-Za-z0-9_.]{0,30})$/.exec(before);
  const query = m ? m[2]!.toLowerCase() : null;
  const [open, setOpen] = useState(true);
  // Closed by Escape or leaving the box, and once the mention is complete.
  const complete = query !== null && props.members.some((x) => x.username.toLowerCase() === query);
  const suggestions =
    query === null || !open || complete
      ? []
      : props.members
          .filter(
            (x) =>
              x.username.toLowerCase().startsWith(query) ||
              x.displayName.toLowerCase().startsWith(query),
          )
          .slice(0, 5);
  const pick = (username: string) => {
    const start = caret - (query?.length ?? 0);
    const next = `${props.value.slice(0, start)}${username} ${props.value.slice(caret)}`;
    props.onChange(next);
    const pos = start + username.length + 1;
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(pos, pos);
      setCaret(pos);
    });
  };
  return (
    <div className="rh-mentionbox">
      <textarea
        ref={ref}
        rows={2}
        value={props.value}
        maxLength={4000}
        aria-label={props.label}
        placeholder={props.placeholder}
        autoFocus={props.autoFocus}
        onChange={(e) => {
          props.onChange(e.target.value);
          setCaret(e.target.selectionStart);
          setOpen(true);
        }}
        onBlur={() => setOpen(false)}
        onFocus={() => setOpen(true)}
        onKeyUp={(e) => setCaret(e.currentTarget.selectionStart)}
        onClick={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyDown={(e) => {
          if (e.key === "Escape" && suggestions.length > 0) {
            e.preventDefault();
            e.stopPropagation();
            setOpen(false);
          } else if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
            e.preventDefault();
            props.onSubmit();
          } else if (e.key === "Tab" && suggestions[0]) {
            e.preventDefault();
            pick(suggestions[0].username);
          }
        }}
      />
      {suggestions.length > 0 && (
        <ul className="rh-suggest" aria-label="Mention someone">
          {suggestions.map((s) => (
            <li key={s.userId}>
              <button
                type="button"
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(s.username)}
              >
                <strong>@{s.username}</strong> <span className="rh-muted">{s.displayName}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Comment threads anchored to a shot or a text range; resolve, reopen, reply, @mention. */
export function Comments(props: CommentsProps) {
  const { doc, canComment, origin, author } = props;
  const threads = useY(doc, "threads", listThreads, [] as Thread[]);
  const [filter, setFilter] = useState<Filter>("open");
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);

  const anchorLabel = useMemo(
    () =>
      (a: Anchor): { label: string; gone: boolean } => {
        if (a.kind === "shot") {
          const l = props.shotLabel(a.shotId);
          return l ? { label: l, gone: false } : { label: "A deleted shot", gone: true };
        }
        const r = props.promptDoc ? resolveAnchor(props.promptDoc, a) : null;
        if (!props.promptDoc) return { label: "Prompt text", gone: false };
        return r
          ? {
              label: `“${r.quote.length > 60 ? `${r.quote.slice(0, 57)}…` : r.quote}”`,
              gone: false,
            }
          : { label: "Deleted prompt text", gone: true };
      },
    [props.shotLabel, props.promptDoc],
  );

  if (!doc) return null;
  const shown = threads.filter((t) =>
    filter === "all" ? true : filter === "open" ? !t.resolved : t.resolved,
  );
  const openCount = threads.filter((t) => !t.resolved).length;

  const start = () => {
    if (!props.pending) return;
    const body = draft.trim();
    if (!body) {
      setError("Write something first.");
      return;
    }
    try {
      const threadId = addThread(doc, props.pending, author, body, origin);
      const first = listThreads(doc).find((t) => t.id === threadId)?.messages[0];
      if (first) props.onPosted?.(first.id);
      setDraft("");
      setError(null);
      props.onClearPending();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <div className="rh-comments" data-testid="comments">
      <div className="rh-segmented" role="tablist" aria-label="Filter threads">
        {(["open", "resolved", "all"] as const).map((f) => (
          <button
            key={f}
            type="button"
            role="tab"
            aria-selected={filter === f}
            className={filter === f ? "is-on" : ""}
            onClick={() => setFilter(f)}
          >
            {f === "open" ? `Open (${openCount})` : f === "resolved" ? "Resolved" : "All"}
          </button>
        ))}
      </div>

      {canComment && props.pending && (
        <div className="rh-composer">
          <p className="rh-composer-anchor">
            Commenting on <strong>{anchorLabel(props.pending).label}</strong>
            <button
              type="button"
              className="rh-btn rh-btn-ghost rh-btn-xs"
              onClick={props.onClearPending}
            >
              Cancel
            </button>
          </p>
          <MentionBox
            value={draft}
            onChange={setDraft}
            onSubmit={start}
            members={props.members}
            label="New comment"
            placeholder="Add a comment… @ to mention (Ctrl+Enter to send)"
            autoFocus
          />
          {error && (
            <p className="rh-form-error" role="alert">
              {error}
            </p>
          )}
          <button type="button" className="rh-btn rh-btn-primary rh-btn-sm" onClick={start}>
            Comment
          </button>
        </div>
      )}
      {canComment && !props.pending && (
        <p className="rh-muted rh-small">
          To start a thread, press <CommentIcon /> on a shot
          {props.textAnchors !== false && (
            <>
              , or select text in the prompt and press <kbd>Alt</kbd>+<kbd>M</kbd>
            </>
          )}
          .
        </p>
      )}

      {shown.length === 0 ? (
        <div className="rh-empty rh-empty-sm">
          <p className="rh-empty-title">
            {filter === "resolved" ? "Nothing resolved yet" : "No open threads"}
          </p>
          <p className="rh-muted">
            {threads.length === 0
              ? "Comments you and your team leave on shots and prompt text show up here."
              : "All caught up."}
          </p>
        </div>
      ) : (
        <ul className="rh-threads">
          {shown.map((t) => (
            <ThreadView
              key={t.id}
              thread={t}
              anchor={anchorLabel(t.anchor)}
              canComment={canComment}
              canResolve={props.canResolve !== false && canComment}
              members={props.members}
              onReply={(body) => props.onPosted?.(reply(doc, t.id, author, body, origin))}
              onResolve={(r) => setResolved(doc, t.id, r, origin)}
              onJump={props.onJump ? () => props.onJump?.(t.anchor) : undefined}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function ThreadView(props: {
  thread: Thread;
  anchor: { label: string; gone: boolean };
  canComment: boolean;
  canResolve: boolean;
  members: MemberOption[];
  onReply: (body: string) => void;
  onResolve: (resolved: boolean) => void;
  onJump?: () => void;
}) {
  const { thread: t } = props;
  const [draft, setDraft] = useState("");
  const [replying, setReplying] = useState(false);
  const send = () => {
    if (!draft.trim()) return;
    props.onReply(draft);
    setDraft("");
    setReplying(false);
  };
  return (
    <li className={`rh-thread ${t.resolved ? "is-resolved" : ""}`} data-testid="thread">
      <header className="rh-thread-head">
        {props.onJump && !props.anchor.gone ? (
          <button type="button" className="rh-linklike rh-thread-anchor" onClick={props.onJump}>
            {props.anchor.label}
          </button>
        ) : (
          <span className={`rh-thread-anchor ${props.anchor.gone ? "rh-muted" : ""}`}>
            {props.anchor.label}
          </span>
        )}
        {t.resolved && <span className="rh-pill rh-tone-ok">Resolved</span>}
        {props.canResolve && (
          <button
            type="button"
            className="rh-btn rh-btn-ghost rh-btn-xs"
            onClick={() => props.onResolve(!t.resolved)}
          >
            {t.resolved ? "Reopen" : "Resolve"}
          </button>
        )}
      </header>
      <ol className="rh-messages">
        {t.messages.map((m) => (
          <li key={m.id} className="rh-message">
            <span className="rh-message-meta">
              <strong>{m.author.name}</strong>
              {m.author.id.startsWith("guest:") && <span className="rh-badge">guest</span>}
              <span className="rh-muted"> · {timeAgo(m.createdAt)}</span>
            </span>
            <Body text={m.body} />
          </li>
        ))}
      </ol>
      {props.canComment &&
        !t.resolved &&
        (replying ? (
          <div className="rh-reply">
            <MentionBox
              value={draft}
              onChange={setDraft}
              onSubmit={send}
              members={props.members}
              label="Reply"
              placeholder="Reply… (Ctrl+Enter to send)"
              autoFocus
            />
            <div className="rh-row">
              <button type="button" className="rh-btn rh-btn-primary rh-btn-xs" onClick={send}>
                Reply
              </button>
              <button
                type="button"
                className="rh-btn rh-btn-ghost rh-btn-xs"
                onClick={() => setReplying(false)}
              >
                Cancel
              </button>
            </div>
          </div>
        ) : (
          <button
            type="button"
            className="rh-btn rh-btn-ghost rh-btn-xs"
            onClick={() => setReplying(true)}
          >
            Reply
          </button>
        ))}
    </li>
  );
}
