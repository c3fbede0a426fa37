import { z } from "zod";
import type { Selectable } from "kysely";
import type { ProductsTable } from "../../db/schema.js";

export const productIdInput = z.object({
  id: z.union([z.string().regex(/^\d+$/, "id must be a number"), z.number().int().positive()]).transform(String),
});

export const productListInput = z.object({
  sku: z.string().max(255).optional(),
  name: z.string().max(1000).optional(),
  description: z.string().max(1000).optional(),
  active: z.boolean().optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});
export type ProductListInput = z.infer<typeof productListInput>;

export function toProductJson(row: Selectable<ProductsTable>) {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    active: row.active,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
export type ProductJson = ReturnType<typeof toProductJson>;
