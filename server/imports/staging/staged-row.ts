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
  /** The custom fields' values as a JSON object (keys of empty cells left out); null when the file maps none. */
  attributes: { kind: "jsonb", nullable: true },
});

type OptionalColumn = keyof typeof COMMERCE_COLUMNS | "attributes";
type FullRow = RowOf<typeof STAGED_ROW.columns>;
/** A staged row: the commerce values present are those of the fields the file maps; attributes when it maps any. */
export type StagedRow = Omit<FullRow, OptionalColumn> & Partial<Pick<FullRow, OptionalColumn>>;

export const commerceColumnOf = (field: CommerceField) => COMMERCE_FIELD_SPECS[field].column as keyof typeof COMMERCE_COLUMNS;

/** The staged row's COPY for a file writing `fields` (and custom fields, with `attributes`): their columns after the core ones. */
export function stagedRowCopy(fields: readonly CommerceField[], attributes: boolean) {
  const written = new Set<string>(fields.map(commerceColumnOf));
  if (attributes) written.add("attributes");
  const optional = (name: string) => name in COMMERCE_COLUMNS || name === "attributes";
  const columns = Object.fromEntries(Object.entries(STAGED_ROW.columns).filter(([name]) => !optional(name) || written.has(name)));
  const table = copyTable(columns as typeof STAGED_ROW.columns);
  return { columnList: table.columnList, copyLine: table.copyLine as (row: StagedRow) => string };
}

/** A child named by a parent row, wherever it is in the file: its SKU, its group, and its options as JSON. */
export type VariantAssignment = [sku: string, group: string, options: string];
