import { useLocation, useNavigate } from "@remix-run/react";
import { useState, type ReactNode } from "react";
import { Modal } from "~/components/modal";

/**
 * A dialog that is a route of its own (`/products/new`, `/webhooks/3/edit`): it opens over the
 * page its parent route renders, and closing it (Escape, Cancel) goes back to `backTo` in place.
 */
export function RouteDialog({ title, backTo, children }: { title: string; backTo: string; children: ReactNode }) {
  const navigate = useNavigate();
  const location = useLocation();
  // Closing hides the dialog at once but leaves the route mounted until the way back has loaded.
  // Asked for again meanwhile (the same link, the same button), the route stays and only the
  // location changes: that is a new opening, so the modal mounts afresh and shows itself.
  const [closedAt, setClosedAt] = useState<string | null>(null);
  const [opening, setOpening] = useState(0);
  if (closedAt !== null && closedAt !== location.key) {
    setClosedAt(null);
    setOpening(opening + 1);
  }
  const close = () => {
    setClosedAt(location.key);
    navigate(backTo, { replace: true, preventScrollReset: true });
  };
  return (
    <Modal key={opening} title={title} onClose={close}>
      {children}
    </Modal>
  );
}
