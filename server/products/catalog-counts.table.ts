import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/schema.js";

/** Adjusts the catalog's product count; call in the same transaction as the change it counts. */
export async function addToProductCount(db: Kysely<Database>, delta: number): Promise<void> {
  if (delta === 0) return;
  await db
    .updateTable("catalog_counts")
    .set({ products: sql`products + ${delta}` })
    .execute();
}

export async function productCount(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom("catalog_counts").select("products").executeTakeFirstOrThrow();
  return Number(row.products);
}
