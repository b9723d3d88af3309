import { ModalDialog } from "./ModalDialog";

export const SHORTCUTS: { keys: string[]; what: string }[] = [
  { keys: ["?"], what: "Show this list" },
  {
    keys: ["Ctrl/⌘", "Z"],
    what: "Undo your last prompt edit (only yours, not your collaborators')",
  },
  { keys: ["Ctrl/⌘", "Shift", "Z"], what: "Redo" },
  { keys: ["↑", "↓"], what: "Move focus between shots" },
  { keys: ["Ctrl/⌘", "Z"], what: "On a focused shot: undo your last storyboard change" },
  { keys: ["Alt", "↑"], what: "Move the focused shot up" },
  { keys: ["Alt", "↓"], what: "Move the focused shot down" },
  { keys: ["Alt", "D"], what: "Duplicate the focused shot" },
  { keys: ["Delete"], what: "Delete the focused shot (asks first)" },
  { keys: ["Alt", "N"], what: "Add a shot at the end" },
  { keys: ["Alt", "M"], what: "Comment on the selected text or the focused shot" },
  { keys: ["Ctrl/⌘", "Enter"], what: "Generate from the prompt (in a comment box: send it)" },
  { keys: ["Esc"], what: "Close a dialog" },
];

/** The "?" keyboard shortcut sheet, a native modal dialog. */
export function ShortcutsHelp(props: { open: boolean; onClose: () => void }) {
  return (
    <ModalDialog
      open={props.open}
      onClose={props.onClose}
      title="Keyboard shortcuts"
      titleId="shortcuts-title"
    >
      <table className="rh-shortcuts">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.what}>
              <td>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && " + "}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ModalDialog>
  );
}
