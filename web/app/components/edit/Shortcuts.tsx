import { useEffect, useRef } from "react";

export const EDITOR_SHORTCUTS: { keys: string[]; what: string }[] = [
  { keys: ["Space"], what: "Play / pause (also K)" },
  { keys: ["←", "→"], what: "One frame back / forward" },
  { keys: ["Shift", "← →"], what: "One second back / forward" },
  { keys: ["Home", "End"], what: "First / last frame" },
  { keys: ["S"], what: "Split the clip at the playhead" },
  { keys: ["I", "O"], what: "Trim the selected clip's in / out to the playhead" },
  { keys: ["Delete"], what: "Delete the selected clip (also Backspace)" },
  { keys: ["Alt", "← →"], what: "Move the selected clip earlier / later" },
  { keys: ["\\"], what: "Before / after: the preview without the grade" },
  { keys: ["Ctrl/⌘", "Z"], what: "Undo your last change (never a collaborator's)" },
  { keys: ["Shift", "Ctrl/⌘", "Z"], what: "Redo (also Ctrl+Y)" },
  { keys: ["?"], what: "Show or hide this list" },
];

/** The "?" button and its popover listing the editor's keyboard shortcuts. */
export function ShortcutsPopover(props: { open: boolean; onToggle: (open: boolean) => void }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!props.open) return;
    const away = (e: PointerEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) props.onToggle(false);
    };
    document.addEventListener("pointerdown", away);
    return () => document.removeEventListener("pointerdown", away);
  }, [props.open, props.onToggle]);
  return (
    <div className="rh-ed-help" ref={box}>
      <button
        type="button"
        className="rh-btn rh-btn-sm rh-btn-ghost"
        aria-expanded={props.open}
        aria-controls="ed-shortcuts"
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts (?)"
        onClick={() => props.onToggle(!props.open)}
      >
        ?
      </button>
      {props.open ? (
        <div
          className="rh-ed-help-pop"
          id="ed-shortcuts"
          role="dialog"
          aria-label="Keyboard shortcuts"
        >
          <p className="rh-ed-panel-title">Keyboard shortcuts</p>
          <table className="rh-shortcuts">
            <tbody>
              {EDITOR_SHORTCUTS.map((s) => (
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
        </div>
      ) : null}
    </div>
  );
}
