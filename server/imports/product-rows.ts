/** An import's row counts as stored (imports.total_rows, error_count, skipped_rows, folded_count). */
interface RowCounts {
  total_rows: number;
  error_count: number;
  skipped_rows: number;
  folded_count: number;
}

/** The file's rows that name a product: neither rejected, skipped nor folded into others (staged, or left out as repeated). */
export const productRows = (row: RowCounts) => row.total_rows - row.error_count - row.skipped_rows - row.folded_count;
