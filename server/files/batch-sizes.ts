/**
 * How much work moves at once along the import path: records from a reader, rows to the parse
 * worker's messages, COPY text to Postgres, rejected rows to their table. Large enough that the
 * cost per batch (a message, a write, an INSERT) vanishes, small enough to keep memory flat on
 * any file size; measured with `npm run bench:import`.
 */
/** Rows (records, rejected or skipped rows) in one batch. */
export const BATCH_ROWS = 500;
/** Characters (COPY text, or a wide sheet's fields) in one batch. */
export const BATCH_CHARS = 256 * 1024;
