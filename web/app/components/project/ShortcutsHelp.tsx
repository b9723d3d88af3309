import { useEffect, useRef } from "react";

export interface Shortcut {
  keys: string[];
  what: string;
}

export const PROJECT_SHORTCUTS: Shortcut[] = [
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
  { keys: ["Esc"], what: "Close this list" },
];

/**
 * The "?" button and its popover listing a page's keyboard shortcuts (the project page and the
 * editor each pass their own list). It closes on Escape, on a press outside it, or on the button.
 */
export function ShortcutsPopover(props: {
  shortcuts: readonly Shortcut[];
  open: boolean;
  onToggle: (open: boolean) => void;
  /** The popover's id (one per page). */
  id?: string;
  buttonClassName?: string;
}) {
  const { open, onToggle } = props;
  const box = useRef<HTMLDivElement>(null);
  const id = props.id ?? "shortcuts";
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) onToggle(false);
    };
    const esc = (e: KeyboardEvent) => {
      if (e.key === "Escape") onToggle(false);
    };
    document.addEventListener("pointerdown", away);
    document.addEventListener("keydown", esc);
    return () => {
      document.removeEventListener("pointerdown", away);
      document.removeEventListener("keydown", esc);
    };
  }, [open, onToggle]);
  return (
    <div className="rh-shortcuts-box" ref={box}>
      <button
        type="button"
        className={props.buttonClassName ?? "rh-btn rh-btn-sm rh-btn-ghost"}
        aria-expanded={open}
        aria-controls={id}
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts (?)"
        onClick={() => onToggle(!open)}
      >
        ?
      </button>
      {open ? (
        <div className="rh-shortcuts-pop" id={id} role="dialog" aria-label="Keyboard shortcuts">
          <p className="rh-shortcuts-title">Keyboard shortcuts</p>
          <table className="rh-shortcuts">
            <tbody>
              {props.shortcuts.map((s) => (
                <tr key={`${s.keys.join("+")} ${s.what}`}>
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
        </div>
      ) : null}
    </div>
  );
}
