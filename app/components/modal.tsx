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
    const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    dialog.removeAttribute("open");
    dialog.showModal();
    const firstField = dialog.querySelector<HTMLElement>("input, select, textarea, button");
    firstField?.focus();
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
