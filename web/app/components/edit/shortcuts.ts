import type { Shortcut } from "../project/ShortcutsHelp";

/** The editor's keyboard shortcuts, as the "?" popover lists them (Editor.tsx binds them). */
export const EDITOR_SHORTCUTS: Shortcut[] = [
  { keys: ["Space"], what: "Play / pause (also K)" },
  { keys: ["←", "→"], what: "One frame back / forward" },
  { keys: ["Shift", "← →"], what: "One second back / forward" },
  { keys: ["Home", "End"], what: "First / last frame" },
  { keys: ["S"], what: "Split the clip at the playhead" },
  { keys: ["I", "O"], what: "Trim the selected clip's in / out to the playhead" },
  { keys: ["Delete"], what: "Delete the selected clip (also Backspace)" },
  { keys: ["Alt", "← →"], what: "Move the selected clip earlier / later" },
  { keys: ["E"], what: "Extend the selected clip (previz clips): open or close Extend" },
  { keys: ["\\"], what: "Before / after: the preview without the grade" },
  { keys: ["Ctrl/⌘", "Z"], what: "Undo your last change (never a collaborator's)" },
  { keys: ["Shift", "Ctrl/⌘", "Z"], what: "Redo (also Ctrl+Y)" },
  { keys: ["?"], what: "Show or hide this list" },
  { keys: ["Esc"], what: "Close this list or Extend" },
];
