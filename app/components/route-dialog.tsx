import { useNavigate } from "@remix-run/react";
import type { ReactNode } from "react";
import { Modal } from "~/components/modal";

/**
 * A dialog that is a route of its own (`/products/new`, `/webhooks/3/edit`): it opens over the
 * page its parent route renders, and closing it (Escape, Cancel) goes back to `backTo` in place.
 */
export function RouteDialog({ title, backTo, children }: { title: string; backTo: string; children: ReactNode }) {
  const navigate = useNavigate();
  return (
    <Modal title={title} onClose={() => navigate(backTo, { replace: true, preventScrollReset: true })}>
      {children}
    </Modal>
  );
}
