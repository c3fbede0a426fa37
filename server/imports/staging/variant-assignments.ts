import { sql, type Kysely } from "kysely";
import type { Database } from "../../../db/schema.js";
import type { VariantAssignment } from "./staged-row.js";
import { stagingTable } from "./staging-table.js";

/** Children given their group per statement: each statement reads the staged rows once. */
const ASSIGNED_PER_STATEMENT = 100_000;

/**
 * The children that parent rows named (Magento's configurable products) get their group and options
 * once every row is staged, set-based: a platform may list a child before its parent. A child the
 * file does not hold is no product of this import and is left alone.
 */
export async function assignVariants(db: Kysely<Database>, importId: string, assignments: readonly VariantAssignment[]): Promise<void> {
  for (let from = 0; from < assignments.length; from += ASSIGNED_PER_STATEMENT) {
    const batch = assignments.slice(from, from + ASSIGNED_PER_STATEMENT);
    await sql`
      UPDATE ${stagingTable(importId)} AS staged
      SET product_group = named.product_group, options = named.options::jsonb
      FROM unnest(${batch.map(([sku]) => sku)}::text[], ${batch.map(([, group]) => group)}::text[], ${batch.map(([, , options]) => options)}::text[])
        AS named(sku, product_group, options)
      WHERE sku_key(staged.sku) = sku_key(named.sku)`.execute(db);
  }
}
