import type { Selectable } from "kysely";
import type { ProductsTable } from "../../db/schema.js";
import type { BuildsPayload } from "../events/event-payloads.js";

/** A product as the API, the pages and product events show it. */
export function toProductJson(row: Selectable<ProductsTable>) {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    active: row.active,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    /** What last wrote it: an import (which), an edit, a bulk change, an undo (of which import). */
    lastChange: { kind: row.last_change_kind, importId: row.last_change_import_id, at: row.updated_at.toISOString() },
  };
}
export type ProductJson = ReturnType<typeof toProductJson>;

// What product events carry is this shape (checked by the compiler against their schema).
const builtAsSchema: BuildsPayload<"product.created", ProductJson> = true;
void builtAsSchema;
