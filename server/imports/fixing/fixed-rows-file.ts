import type { OpenedFile } from "../../files/open-file.js";
import type { SourceRecord } from "../../files/csv-records.js";
import type { ImportRow } from "../imports.table.js";

/** The fixed rows as a file of their own: the original header, each row with its original line. */
export function fixedRowsFile(row: Pick<ImportRow, "header" | "format">, rows: { line: number; cells: string[] }[]): OpenedFile {
  const records: SourceRecord[] = [{ fields: row.header, line: 1 }, ...rows.map(({ line, cells }) => ({ fields: cells, line }))];
  return {
    format: row.format === "xlsx" ? "xlsx" : "csv",
    dialect: null,
    sheet: () => null,
    records: (async function* () {
      yield records;
    })(),
    csv: null,
    workbook: null,
    close: async () => {},
  };
}
