import { useLocation, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { BULK_DIALOG_PATH } from "~/lib/bulk-actions";
import type { loader as rootLoader } from "~/root";

/**
 * Calls `clear` once a bulk action the dialog submitted has been done: the rows it acted on are
 * finished with. A refused one (its toast an error, or a value the dialog still shows as wrong)
 * keeps them ticked, to try again.
 */
export function useClearAfterBulk(clear: () => void): void {
  const navigation = useNavigation();
  const { pathname } = useLocation();
  const toast = useRouteLoaderData<typeof rootLoader>("root")?.toast;
  const submitted = useRef(false);
  const submitting =
    navigation.state === "submitting" && navigation.formMethod === "POST" && navigation.formAction?.startsWith(BULK_DIALOG_PATH) === true;
  useEffect(() => {
    if (submitting) submitted.current = true;
    else if (navigation.state === "idle" && submitted.current) {
      submitted.current = false;
      const stillAsking = pathname.startsWith(BULK_DIALOG_PATH);
      if (toast?.tone !== "error" && !stillAsking) clear();
    }
  }, [submitting, navigation.state, toast, clear, pathname]);
}
