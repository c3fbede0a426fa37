import { useEffect, useRef, type ReactNode } from "react";

/**
 * A native <dialog> shown modally: the browser traps focus inside and closes it on Escape; focus
 * goes back to what opened it. Server-rendered `open` keeps it usable before JavaScript loads.
 */
export function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // Server-rendered open (usable without JavaScript); reopen it modally. Removing the attribute
    // closes it without a `close` event, which would otherwise dismiss the dialog.
    const active = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    // Someone already typing in the server-rendered dialog keeps their place when scripts arrive.
    const typingInside = active !== null && dialog.contains(active) ? active : null;
    const opener = typingInside ? null : active;
    const caret = typingInside ? caretOf(typingInside) : null;
    dialog.removeAttribute("open");
    dialog.showModal();
    if (typingInside) {
      typingInside.focus({ preventScroll: true });
      if (caret) caret.restore();
    } else {
      dialog.querySelector<HTMLElement>("input, select, textarea, button")?.focus();
    }
    // A route dialog closes by unmounting, which does not hand focus back the way close() does.
    return () => {
      if (opener?.isConnected) opener.focus({ preventScroll: true });
    };
  }, []);
  return (
    <dialog ref={ref} className="modal" aria-labelledby="modal-title" open onClose={onClose} onCancel={onClose}>
      <h2 id="modal-title">{title}</h2>
      {children}
    </dialog>
  );
}

/** Where the caret is in a text field, to put it back after the dialog reopens modally. */
function caretOf(element: HTMLElement): { restore(): void } | null {
  if (!(element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement)) return null;
  const { selectionStart, selectionEnd } = element;
  // Checkboxes and the like have no caret.
  if (selectionStart === null || selectionEnd === null) return null;
  return { restore: () => element.setSelectionRange(selectionStart, selectionEnd) };
}
