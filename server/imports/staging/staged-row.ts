import { copyTable, type RowOf } from "../../../db/copy-row.js";

/**
 * A row of the file the import accepted, as its staging table holds it: the file's line and the
 * product's values. `active` is null where the file left it empty (the product keeps its flag).
 */
export const STAGED_ROW = copyTable({
  line: { kind: "integer" },
  sku: { kind: "text" },
  name: { kind: "text" },
  description: { kind: "text" },
  active: { kind: "boolean", nullable: true },
});

export type StagedRow = RowOf<typeof STAGED_ROW.columns>;
