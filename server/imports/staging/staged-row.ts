import { copyTable, type RowOf } from "../../../db/copy-row.js";
import { COMMERCE_FIELD_SPECS, commerceCopyColumns, type CommerceField } from "../../products/commerce-fields.schema.js";

/** Each commerce field's staging column: null where the file's cell was empty. */
export const COMMERCE_COLUMNS = commerceCopyColumns();

/**
 * A row of the file the import accepted, as its staging table holds it: the file's line and the
 * product's values. `active` is null where the file left it empty (the product keeps its flag).
 * The commerce columns the file does not map are left out of its COPY (and stay null).
 */
export const STAGED_ROW = copyTable({
  line: { kind: "integer" },
  sku: { kind: "text" },
  name: { kind: "text" },
  description: { kind: "text" },
  active: { kind: "boolean", nullable: true },
  ...COMMERCE_COLUMNS,
});

type CommerceColumn = keyof typeof COMMERCE_COLUMNS;
type FullRow = RowOf<typeof STAGED_ROW.columns>;
/** A staged row: the commerce values present are those of the fields the file maps. */
export type StagedRow = Omit<FullRow, CommerceColumn> & Partial<Pick<FullRow, CommerceColumn>>;

export const commerceColumnOf = (field: CommerceField) => COMMERCE_FIELD_SPECS[field].column as CommerceColumn;

/** The staged row's COPY for a file writing `fields`: their columns after the core ones. */
export function stagedRowCopy(fields: readonly CommerceField[]) {
  const written = new Set<string>(fields.map(commerceColumnOf));
  const columns = Object.fromEntries(Object.entries(STAGED_ROW.columns).filter(([name]) => !(name in COMMERCE_COLUMNS) || written.has(name)));
  const table = copyTable(columns as typeof STAGED_ROW.columns);
  return { columnList: table.columnList, copyLine: table.copyLine as (row: StagedRow) => string };
}
