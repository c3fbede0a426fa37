import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";

export interface RowSelection {
  selected: ReadonlySet<string>;
  /** Every product matching the filters, not only the rows on this page. */
  matching: boolean;
  /** A row's checkbox was clicked (or Space pressed on it): with Shift, the range from the last one. */
  toggle: (id: string, event: MouseEvent<HTMLInputElement>) => void;
  /** For keydown and keyup: arrow keys move between the rows' checkboxes; Shift is remembered for Space. */
  onKeys: (event: KeyboardEvent<HTMLElement>) => void;
  setPage: (on: boolean) => void;
  selectMatching: () => void;
  clear: () => void;
}

/**
 * The rows chosen on one page. A new page, filter or sort starts empty: a selection the user
 * cannot see would be acted on by surprise.
 */
export function useRowSelection(ids: readonly string[], pageKey: string): RowSelection {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [matching, setMatching] = useState(false);
  const anchor = useRef<number | null>(null);
  const shiftHeld = useRef(false);
  useEffect(() => {
    setSelected(new Set());
    setMatching(false);
    anchor.current = null;
  }, [pageKey]);

  const toggle = useCallback(
    (id: string, event: MouseEvent<HTMLInputElement>) => {
      const index = ids.indexOf(id);
      const on = event.currentTarget.checked;
      // A click made with Space (detail 0) reports no modifiers of its own in every browser.
      const shift = event.shiftKey || (event.detail === 0 && shiftHeld.current);
      const range = shift && anchor.current !== null ? ids.slice(Math.min(anchor.current, index), Math.max(anchor.current, index) + 1) : [id];
      anchor.current = index;
      setMatching(false);
      setSelected((previous) => {
        const next = new Set(previous);
        for (const each of range)
          if (on) next.add(each);
          else next.delete(each);
        return next;
      });
    },
    [ids],
  );

  const onKeys = useCallback((event: KeyboardEvent<HTMLElement>) => {
    shiftHeld.current = event.shiftKey;
    const box = event.target as HTMLElement;
    if (event.type !== "keydown" || !box.matches("input[data-row-select]")) return;
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const boxes = [...(event.currentTarget.querySelectorAll<HTMLInputElement>("input[data-row-select]") ?? [])];
    const next = boxes[boxes.indexOf(box as HTMLInputElement) + (event.key === "ArrowDown" ? 1 : -1)];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }, []);

  const setPage = useCallback(
    (on: boolean) => {
      setMatching(false);
      setSelected(on ? new Set(ids) : new Set());
    },
    [ids],
  );
  const selectMatching = useCallback(() => {
    setSelected(new Set(ids));
    setMatching(true);
  }, [ids]);
  const clear = useCallback(() => {
    setMatching(false);
    setSelected(new Set());
  }, []);
  return { selected, matching, toggle, onKeys, setPage, selectMatching, clear };
}
