import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";

export interface RowSelection {
  /** The ticked rows still on the page (a row deleted or filtered away drops out). */
  selected: ReadonlySet<string>;
  /** Every row on the page is ticked. */
  wholePage: boolean;
  /** Every product matching the filters, not only the rows on this page. */
  matching: boolean;
  /** A row's checkbox was clicked (or Space pressed on it): with Shift, the range from the last one. */
  toggle: (id: string, event: MouseEvent<HTMLInputElement>) => void;
  /** For keydown and keyup: arrow keys move between the rows' checkboxes; Shift is remembered for Space. */
  onKeys: (event: KeyboardEvent<HTMLElement>) => void;
  setPage: (on: boolean) => void;
  /** Ticks or unticks these rows together (a group's variants). */
  setMany: (ids: readonly string[], on: boolean) => void;
  selectMatching: () => void;
  clear: () => void;
}

const ROW_BOX = "input[data-row-select]";

/**
 * The rows chosen on one page. A new page, filter or sort starts empty: a selection the user
 * cannot see would be acted on by surprise. Boxes ticked before the scripts loaded are adopted.
 */
export function useRowSelection(ids: readonly string[], pageKey: string): RowSelection {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [matching, setMatching] = useState(false);
  const anchor = useRef<string | null>(null);
  const shiftHeld = useRef(false);
  const hydrated = useRef(false);
  useEffect(() => {
    // The first time, the boxes are the server's HTML, possibly ticked by hand already.
    const ticked = hydrated.current ? [] : [...document.querySelectorAll<HTMLInputElement>(`${ROW_BOX}:checked`)].map((box) => box.value);
    hydrated.current = true;
    setChosen(new Set(ticked));
    setMatching(false);
    anchor.current = null;
  }, [pageKey]);

  const selected = useMemo(() => new Set(ids.filter((id) => chosen.has(id))), [ids, chosen]);
  const wholePage = ids.length > 0 && selected.size === ids.length;

  const setMany = useCallback((many: readonly string[], on: boolean) => {
    setMatching(false);
    setChosen((previous) => {
      const next = new Set(previous);
      for (const id of many)
        if (on) next.add(id);
        else next.delete(id);
      return next;
    });
  }, []);

  const toggle = useCallback(
    (id: string, event: MouseEvent<HTMLInputElement>) => {
      const on = event.currentTarget.checked;
      // A click made with Space (detail 0) reports no modifiers of its own in every browser.
      const shift = event.shiftKey || (event.detail === 0 && shiftHeld.current);
      const from = anchor.current === null ? -1 : ids.indexOf(anchor.current);
      const index = ids.indexOf(id);
      const range = shift && from >= 0 ? ids.slice(Math.min(from, index), Math.max(from, index) + 1) : [id];
      anchor.current = id;
      setMany(range, on);
    },
    [ids, setMany],
  );

  const onKeys = useCallback((event: KeyboardEvent<HTMLElement>) => {
    shiftHeld.current = event.shiftKey;
    const box = event.target as HTMLElement;
    if (event.type !== "keydown" || !box.matches(ROW_BOX)) return;
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const boxes = [...event.currentTarget.querySelectorAll<HTMLInputElement>(ROW_BOX)];
    const next = boxes[boxes.indexOf(box as HTMLInputElement) + (event.key === "ArrowDown" ? 1 : -1)];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }, []);

  const setPage = useCallback(
    (on: boolean) => {
      setMatching(false);
      setChosen(on ? new Set(ids) : new Set());
    },
    [ids],
  );
  const selectMatching = useCallback(() => {
    setChosen(new Set(ids));
    setMatching(true);
  }, [ids]);
  const clear = useCallback(() => {
    setMatching(false);
    setChosen(new Set());
  }, []);
  return { selected, wholePage, matching: matching && wholePage, toggle, onKeys, setPage, setMany, selectMatching, clear };
}
