import type { Selectable } from "kysely";
import type { ProductsTable } from "../../db/schema.js";
import type { BuildsPayload } from "../events/event-payloads.js";

type CommerceColumns = Pick<
  Selectable<ProductsTable>,
  "price" | "compare_at_price" | "stock" | "barcode" | "weight_grams" | "brand" | "category" | "tags" | "product_group" | "options" | "images"
>;

/** The commerce fields as the API names them (CONTRACT.md's `Product`): decimals as exact text, no tags as `[]`. */
export function toCommerceJson(row: CommerceColumns) {
  return {
    price: row.price,
    compareAtPrice: row.compare_at_price,
    stock: row.stock,
    barcode: row.barcode,
    weightGrams: row.weight_grams,
    brand: row.brand,
    category: row.category,
    tags: row.tags,
    group: row.product_group,
    options: row.options,
    images: row.images,
  };
}
export type CommerceJson = ReturnType<typeof toCommerceJson>;

/** A product as the API, the pages and product events show it. */
export function toProductJson(row: Selectable<ProductsTable>) {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    active: row.active,
    ...toCommerceJson(row),
    attributes: row.attributes,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    /** What last wrote it: an import (which), an edit, a bulk change, an undo (of which import). */
    lastChange: { kind: row.last_change_kind, importId: row.last_change_import_id, at: row.updated_at.toISOString() },
  };
}
export type ProductJson = ReturnType<typeof toProductJson>;

/** A product's values an edit can change (and `product.updated` names the earlier ones of). */
export type ProductValues = Omit<ProductJson, "id" | "createdAt" | "updatedAt" | "lastChange">;

/** The earlier values of the fields `after` changed, for `product.updated`'s `previous`. */
export function previousValues(before: ProductJson, after: ProductJson): Partial<ProductValues> {
  const previous: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(before)) {
    if (field === "id" || field === "createdAt" || field === "updatedAt" || field === "lastChange") continue;
    if (JSON.stringify(value) !== JSON.stringify(after[field as keyof ProductJson])) previous[field] = value;
  }
  return previous as Partial<ProductValues>;
}

// What product events carry is this shape (checked by the compiler against their schema).
const builtAsSchema: BuildsPayload<"product.created", ProductJson> = true;
const updatedAsSchema: BuildsPayload<"product.updated", ProductJson & { previous: Partial<ProductValues> }> = true;
void builtAsSchema;
void updatedAsSchema;
