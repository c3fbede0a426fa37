/** Punctuation that separates a header name's words as a space does (`Body_HTML`, `Is Active?`). */
const WORD_BREAKS = String.raw`*#?:_\-./`;
const BREAK_RUNS = new RegExp(String.raw`[\s${WORD_BREAKS}]+`, "g");
/** Anything but single plain spaces between words: a name without it is already as compared. */
const UNTIDY = new RegExp(String.raw`[${WORD_BREAKS}]|[^\S ]|\s\s|^\s|\s$`);

/** A header name as compared: case, spacing, a byte-order mark and surrounding punctuation do not count. */
export function normalizeHeaderName(name: string): string {
  const lower = name.toLowerCase();
  // Every name of a header is normalised, 16,384 of them in a wide one; most are plain words already.
  return UNTIDY.test(lower) ? lower.replace(BREAK_RUNS, " ").trim() : lower;
}
