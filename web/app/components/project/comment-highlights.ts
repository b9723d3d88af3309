import { Extension } from "@tiptap/core";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";

/** A range of a top-level block of the prompt, in that block's text offsets. */
export interface HighlightRange {
  id: string;
  blockIndex: number;
  from: number;
  to: number;
}

export const commentHighlightsKey = new PluginKey("commentHighlights");

/**
 * Underlines the prompt text that open comment threads are anchored to. The ranges come from a
 * getter (resolved from Yjs relative positions each time, so they follow concurrent edits); call
 * `refreshHighlights(editor)` when the threads change.
 */
export const CommentHighlights = Extension.create<{ ranges: () => HighlightRange[] }>({
  name: "commentHighlights",
  addOptions() {
    return { ranges: () => [] };
  },
  addProseMirrorPlugins() {
    const ranges = () => this.options.ranges();
    return [
      new Plugin({
        key: commentHighlightsKey,
        props: {
          decorations(state) {
            const decos: Decoration[] = [];
            const doc = state.doc;
            const starts: number[] = [];
            let pos = 0;
            for (let i = 0; i < doc.childCount; i++) {
              starts.push(pos);
              pos += doc.child(i).nodeSize;
            }
            for (const r of ranges()) {
              const start = starts[r.blockIndex];
              const block = start === undefined ? null : doc.child(r.blockIndex);
              if (start === undefined || !block || r.to > block.content.size) continue;
              decos.push(
                Decoration.inline(start + 1 + r.from, start + 1 + r.to, {
                  class: "rh-comment-mark",
                  "data-thread": r.id,
                }),
              );
            }
            return DecorationSet.create(doc, decos);
          },
        },
      }),
    ];
  },
});
