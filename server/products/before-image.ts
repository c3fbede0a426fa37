import { copyTable } from "../../db/copy-row.js";
import { commerceCopyColumns } from "./commerce-fields.schema.js";

/**
 * A product as an undo needs it back, written by the merge as it overwrites or removes it, with
 * what the merge did to it (`kind`). Every column after `kind` is the product's own column of the
 * same name (`product_id` is its `id`).
 */
export const BEFORE_IMAGE = copyTable({
  kind: { kind: "text" },
  product_id: { kind: "bigint" },
  sku: { kind: "text" },
  name: { kind: "text" },
  description: { kind: "text" },
  active: { kind: "boolean" },
  ...commerceCopyColumns(["tags", "options", "images"]),
  attributes: { kind: "jsonb" },
  created_at: { kind: "timestamptz" },
  created_import_id: { kind: "bigint", nullable: true },
  values_import_id: { kind: "bigint", nullable: true },
});

type KeptColumn = Exclude<(typeof BEFORE_IMAGE.names)[number], "kind">;
/** The before-image's columns that hold the product (all but `kind`). */
export const KEPT_COLUMNS = BEFORE_IMAGE.names.filter((column): column is KeptColumn => column !== "kind");

/** The products column each kept column comes from. */
const productColumn = (column: KeptColumn) => (column === "product_id" ? "id" : column);

/** The product's columns a before-image keeps, in the before-image's order (after `kind`). */
export const KEPT_PRODUCT_COLUMNS = KEPT_COLUMNS.map(productColumn);

/** What an undo gives back to a product still there: its values, not its identity or its history. */
export const RESTORED_COLUMNS = KEPT_COLUMNS.filter((column) => !["product_id", "created_at", "created_import_id"].includes(column));
