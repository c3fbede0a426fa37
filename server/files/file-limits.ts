/**
 * What one file may hold, whatever its format: far above any real catalog, far below what would
 * crowd the server's memory. A file past a limit is refused with a message naming the limit.
 */

/** One record of a file (a CSV record, a workbook's row), in characters: ~20 times the longest valid row. */
export const MAX_RECORD_CHARS = 8 * 1024 * 1024;

/** Excel's own last column (XFD): no sheet or export that people make is wider. */
export const MAX_COLUMNS = 16_384;

/** Excel's own last row: a row numbered beyond it is not a workbook's. */
export const MAX_SHEET_ROWS = 1_048_576;

/**
 * One cell of a workbook, in characters: a little more than the longest value a row may hold (a
 * description of 100,000 characters), so an over-long value is still rejected by the row's rules.
 */
export const MAX_CELL_CHARS = 128 * 1024;

/**
 * A workbook's shared-strings table (every distinct text of its sheets, held while the sheet is
 * read, as UTF-8 plus 12 bytes a text): at most 256 MB of text in 8 M texts, about 350 MB of
 * memory. 500,000 products with unique SKUs, names and 500-character descriptions are about
 * 270 MB as CSV and 1.5 M texts.
 */
export const MAX_SHARED_TEXT_BYTES = 256 * 1024 * 1024;
export const MAX_SHARED_STRINGS = 8 * 1024 * 1024;

/** The workbook's small parts (its sheet list, their links, its cell styles), in characters of XML. */
export const MAX_WORKBOOK_PART_CHARS = 32 * 1024 * 1024;

/** What a packed upload (gzip, zip) may unpack to: far above any catalog file, far below what a small archive can claim. */
export const MAX_UNPACKED_BYTES = 8 * 1024 ** 3;
