import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

export type Tone = "success" | "error" | "info";
export interface Toast {
  tone: Tone;
  message: string;
}
interface ShownToast extends Toast {
  id: number;
}

const ToastContext = createContext<(message: string, tone?: Tone) => void>(() => {});
let nextId = 1;

/**
 * Outcomes are announced politely to screen readers and fade on their own. `flash` is the outcome
 * of the action that led to this page (app/lib/toast.server.ts); components add their own.
 */
export function ToastProvider({ children, flash }: { children: ReactNode; flash?: Toast | null }) {
  // Rendered by the server too: the outcome shows before (and without) JavaScript.
  const [toasts, setToasts] = useState<ShownToast[]>(() => (flash ? [{ id: 0, ...flash }] : []));
  const dismissLater = useCallback((id: number) => {
    setTimeout(() => setToasts((current) => current.filter((toast) => toast.id !== id)), 5000);
  }, []);
  const show = useCallback(
    (message: string, tone: Tone = "success") => {
      const id = nextId++;
      setToasts((current) => [...current.slice(-3), { id, tone, message }]);
      dismissLater(id);
    },
    [dismissLater],
  );
  const firstFlash = useRef(flash);
  useEffect(() => {
    if (flash === firstFlash.current) {
      if (flash) dismissLater(0);
      return;
    }
    if (flash) show(flash.message, flash.tone);
  }, [flash, show, dismissLater]);
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.tone}`}>
            {toast.message}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export const useToast = () => useContext(ToastContext);
