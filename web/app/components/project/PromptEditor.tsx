import type { HocuspocusProvider } from "@hocuspocus/provider";
import type { PromptSectionName } from "@reelhouse/shared/generation/request";
import { type PromptCheck, sectionLabels } from "@reelhouse/shared/prompt/checker";
import {
  getTemplate,
  type PromptTemplateId,
  promptTemplates,
} from "@reelhouse/shared/prompt/templates";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { type Editor, EditorContent, useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { useEffect, useRef, useState } from "react";
import type * as Y from "yjs";
import type { PresenceUser } from "../../lib/collab.client";
import { CommentHighlights, type HighlightRange } from "./comment-highlights";

export interface PromptEditorProps {
  doc: Y.Doc;
  provider: HocuspocusProvider;
  user: PresenceUser;
  canEdit: boolean;
  check: PromptCheck | null;
  onText: (text: string) => void;
  onEditor?: (editor: Editor | null) => void;
  /** Prompt text ranges that open comment threads point at (underlined). */
  highlights?: () => HighlightRange[];
  /** Changes whenever the highlighted ranges may have changed (e.g. the thread list). */
  highlightsVersion?: unknown;
}

const SECTIONS: PromptSectionName[] = [
  "subject",
  "action",
  "setting",
  "camera",
  "lighting",
  "audio",
  "style",
];

/**
 * The collaborative prompt: TipTap on the prompt document's "prompt" XmlFragment. Undo/redo come
 * from Yjs (only your own changes are undone), live carets and selections from awareness.
 */
export function PromptEditor(props: PromptEditorProps) {
  const { doc, provider, user, canEdit, onText } = props;
  const highlightsRef = useRef(props.highlights);
  highlightsRef.current = props.highlights;
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: canEdit,
      extensions: [
        StarterKit.configure({ undoRedo: false, heading: false, codeBlock: false }),
        Collaboration.configure({ document: doc, field: "prompt" }),
        CommentHighlights.configure({ ranges: () => highlightsRef.current?.() ?? [] }),
        CollaborationCaret.configure({
          provider,
          // The whole presence user: this awareness field is also what the avatars read.
          user,
        }),
      ],
      editorProps: {
        attributes: {
          class: "rh-prompt-editor",
          "aria-label": "Prompt",
          "data-testid": "prompt-editor",
          spellcheck: "true",
        },
      },
      onCreate: ({ editor: e }) => onText(e.getText({ blockSeparator: "\n" })),
      onUpdate: ({ editor: e }) => onText(e.getText({ blockSeparator: "\n" })),
    },
    [doc, provider],
  );

  useEffect(() => {
    editor?.setEditable(canEdit);
  }, [editor, canEdit]);

  // Threads changed: redraw the underlines (a no-op transaction re-runs the decorations).
  // biome-ignore lint/correctness/useExhaustiveDependencies: highlightsVersion is the trigger
  useEffect(() => {
    if (editor && !editor.isDestroyed)
      editor.view.dispatch(editor.state.tr.setMeta("commentHighlights", true));
  }, [editor, props.highlightsVersion]);

  useEffect(() => {
    props.onEditor?.(editor);
    return () => props.onEditor?.(null);
  }, [editor, props.onEditor]);

  const [template, setTemplate] = useState<PromptTemplateId | "">("");

  const insertSection = (name: PromptSectionName) => {
    if (!editor || !canEdit) return;
    const label = `${sectionLabels[name]}:`;
    // If a "Camera:" line already exists, put the cursor at its end instead of adding another.
    let found: number | null = null;
    editor.state.doc.descendants((node, pos) => {
      if (found !== null) return false;
      if (
        node.isTextblock &&
        node.textContent.trimStart().toLowerCase().startsWith(label.toLowerCase())
      ) {
        found = pos + node.nodeSize - 1;
        return false;
      }
      return true;
    });
    if (found !== null) {
      editor.chain().focus().setTextSelection(found).run();
      return;
    }
    const end = editor.state.doc.content.size;
    editor
      .chain()
      .focus()
      .insertContentAt(end, { type: "paragraph", content: [{ type: "text", text: `${label} ` }] })
      .setTextSelection(editor.state.doc.content.size)
      .run();
  };

  const applyTemplate = (id: PromptTemplateId) => {
    if (!editor || !canEdit) return;
    const t = getTemplate(id);
    const hasText = editor.getText().trim().length > 0;
    const para = { type: "paragraph", content: [{ type: "text", text: t.pattern }] };
    if (hasText) editor.chain().focus().insertContentAt(editor.state.doc.content.size, para).run();
    else editor.chain().focus().setContent(para).run();
    // Select the first placeholder so typing replaces it.
    const text = editor.state.doc.textBetween(0, editor.state.doc.content.size, "\n", "\n");
    const first = t.pattern.indexOf("[");
    const startOfPattern = text.lastIndexOf(t.pattern);
    if (first >= 0 && startOfPattern >= 0) {
      const from = locate(editor, startOfPattern + first);
      const to = locate(editor, startOfPattern + t.pattern.indexOf("]") + 1);
      if (from !== null && to !== null) editor.chain().setTextSelection({ from, to }).run();
    }
    setTemplate("");
  };

  const sections = props.check?.sections;
  return (
    <section className="rh-prompt" aria-labelledby="prompt-title">
      <header className="rh-section-head">
        <h2 id="prompt-title">Prompt</h2>
        {canEdit ? (
          <label className="rh-template-picker">
            <span className="rh-sr-only">Start from a template</span>
            <select
              value={template}
              data-testid="template-picker"
              onChange={(e) => {
                const v = e.target.value as PromptTemplateId | "";
                setTemplate(v);
                if (v) applyTemplate(v);
              }}
            >
              <option value="">Insert template…</option>
              {promptTemplates.map((t) => (
                <option key={t.id} value={t.id} title={t.description}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span className="rh-badge">Read only</span>
        )}
      </header>
      <div className="rh-chips" role="toolbar" aria-label="Prompt sections">
        {SECTIONS.map((name) => {
          const f = sections?.[name];
          return (
            <button
              key={name}
              type="button"
              className={`rh-chip ${f?.present ? "is-on" : ""}`}
              aria-pressed={f?.present ?? false}
              disabled={!canEdit}
              title={
                f?.present
                  ? `${sectionLabels[name]}: found “${f.evidence.join("”, “")}”`
                  : `Add a ${sectionLabels[name]} line`
              }
              onClick={() => insertSection(name)}
            >
              <span className="rh-chip-dot" aria-hidden="true" />
              {sectionLabels[name]}
            </button>
          );
        })}
      </div>
      <div className="rh-editor-frame">
        {editor ? (
          <EditorContent editor={editor} />
        ) : (
          <div className="rh-prompt-editor rh-skeleton" aria-busy="true" />
        )}
        {editor?.isEmpty && (
          <p className="rh-editor-hint" aria-hidden="true">
            {canEdit
              ? "Describe the shot like a director: subject + action + setting + camera + lighting + audio + style. Or insert a template."
              : "The prompt is empty."}
          </p>
        )}
      </div>
    </section>
  );
}

/** Maps an offset in `textBetween(…, "\n", "\n")` text to a document position. */
export function locate(editor: Editor, offset: number): number | null {
  let seen = 0;
  let result: number | null = null;
  let firstBlock = true;
  editor.state.doc.descendants((node, pos) => {
    if (result !== null) return false;
    if (node.isBlock && node.isTextblock) {
      if (!firstBlock) seen += 1; // block separator
      firstBlock = false;
    }
    if (node.isText) {
      const len = node.text?.length ?? 0;
      if (offset <= seen + len) {
        result = pos + (offset - seen);
        return false;
      }
      seen += len;
    }
    return true;
  });
  return result;
}
