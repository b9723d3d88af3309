import { type ReactNode, useEffect, useRef } from "react";

/**
 * The project page's modal: a native <dialog> opened with showModal() while `open` is true, with a
 * titled header and a close button. Escape and the button both call `onClose`.
 */
export function ModalDialog(props: {
  open: boolean;
  onClose: () => void;
  title: string;
  /** id of the title element, for aria-labelledby (and tests). */
  titleId: string;
  wide?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      className={props.wide ? "rh-dialog rh-dialog-wide" : "rh-dialog"}
      onClose={props.onClose}
      aria-labelledby={props.titleId}
    >
      <header className="rh-dialog-head">
        <h2 id={props.titleId}>{props.title}</h2>
        <button
          type="button"
          className="rh-btn rh-btn-ghost rh-btn-sm"
          onClick={props.onClose}
          aria-label="Close"
        >
          ✕
        </button>
      </header>
      {props.children}
    </dialog>
  );
}
