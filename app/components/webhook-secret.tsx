import { useEffect, useRef, useState } from "react";
import { useHydrated } from "~/lib/use-hydrated";

/** What the Reveal route's action answers, to a fetcher (inline) or to its own dialog (before JavaScript). */
export type RevealAnswer = { secret: string; error: null } | { secret: null; error: string };

/**
 * A signing secret shown because someone asked for it, with Copy once scripts run (before, the
 * text is there to select). `takeFocus` moves focus to Copy: the Reveal button that had it is
 * gone, and keyboard users carry on from where it was.
 */
export function RevealedSecret({ secret, takeFocus = false }: { secret: string; takeFocus?: boolean }) {
  const [copied, setCopied] = useState(false);
  const copy = useRef<HTMLButtonElement>(null);
  const hydrated = useHydrated();
  useEffect(() => {
    if (takeFocus && hydrated) copy.current?.focus();
  }, [takeFocus, hydrated]);
  return (
    <>
      <code className="secret-value">{secret}</code>{" "}
      {hydrated ? (
        <button ref={copy} type="button" className="button" onClick={() => navigator.clipboard?.writeText(secret).then(() => setCopied(true))}>
          {copied ? "Copied" : "Copy"}
        </button>
      ) : null}
    </>
  );
}
