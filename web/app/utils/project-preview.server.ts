import type { SnapshotPreview } from "../components/project/HistoryDialog";

/** Turns previewSnapshot's JSON view of the documents into what the history panel shows. */
export function toPreview(docs: Partial<Record<string, Record<string, unknown>>>): SnapshotPreview {
  const xml = typeof docs.prompt?.prompt === "string" ? docs.prompt.prompt : "";
  // Y.XmlFragment.toString() does not escape text, so strip only the editor's own node and mark
  // tags; anything else between angle brackets is text a person typed.
  const promptText = xml
    .replace(/<\/(paragraph|heading|listItem|blockquote|codeBlock)>/g, "\n")
    .replace(
      /<\/?(paragraph|heading|bulletList|orderedList|listItem|blockquote|codeBlock|hardBreak|horizontalRule|bold|italic|strike|code|underline|link)(\s[^>]*)?\/?>/g,
      "",
    )
    .trim();
  const shotsMap = (docs.storyboard?.shots ?? {}) as Record<string, Record<string, unknown>>;
  const shots = Object.entries(shotsMap)
    .map(([id, s]) => ({
      id,
      order: String(s.order ?? ""),
      prompt: String(s.prompt ?? ""),
      durationSeconds: Number(s.durationSeconds ?? 0),
      camera: String(s.camera ?? ""),
    }))
    .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : 1))
    .map(({ order: _o, ...rest }) => rest);
  return {
    promptText,
    shots,
    roles: Object.keys((docs.casting?.roles ?? {}) as object).length,
    threads: Object.keys((docs.comments?.threads ?? {}) as object).length,
  };
}
