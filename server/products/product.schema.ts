import { z } from "zod";
import { idSchema } from "../ids.js";
import { storableText } from "../text-input.js";
import { pageInput } from "../paging.js";
import { FIELD_LIMITS, lengthOver, normalizeName, normalizeSku } from "./product-rules.js";
import type { Selectable } from "kysely";
import type { ProductsTable } from "../../db/schema.js";

export const productIdInput = z.object({ id: idSchema });

const filterText = (max: number) => storableText().pipe(z.string().max(max)).optional();

export const productListInput = z.object({
  sku: filterText(FIELD_LIMITS.sku),
  name: filterText(FIELD_LIMITS.name),
  description: filterText(1000),
  active: z.boolean().optional(),
  ...pageInput.shape,
});
export type ProductListInput = z.infer<typeof productListInput>;

const withinLimit = (label: string, limit: number) =>
  z.string().refine((value) => lengthOver(value, limit) === null, `${label} must be at most ${limit.toLocaleString("en-US")} characters`);

const skuField = storableText("SKU")
  .transform(normalizeSku)
  .pipe(withinLimit("SKU", FIELD_LIMITS.sku).pipe(z.string().min(1, "SKU is required")));
const nameField = storableText("Name")
  .transform(normalizeName)
  .pipe(withinLimit("Name", FIELD_LIMITS.name).pipe(z.string().min(1, "Name is required")));
const descriptionField = storableText("Description").pipe(withinLimit("Description", FIELD_LIMITS.description));

/** Shared by the tRPC procedures, the product form and the tests. */
export const productCreateInput = z.object({
  sku: skuField,
  name: nameField,
  description: descriptionField.default(""),
  active: z.boolean().default(true),
});
export type ProductCreateInput = z.infer<typeof productCreateInput>;

export const productUpdateInput = productIdInput.extend({
  sku: skuField.optional(),
  name: nameField.optional(),
  description: descriptionField.optional(),
  active: z.boolean().optional(),
});
export type ProductUpdateInput = z.infer<typeof productUpdateInput>;

export const productFilters = productListInput.omit({ page: true, pageSize: true });
export type ProductFilters = z.infer<typeof productFilters>;

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
