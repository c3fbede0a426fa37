import type { Kysely } from "kysely";
import type { Database } from "../../../db/schema.js";
import { stagingPartExists } from "../staging/staging-table.js";
import { toProductJson } from "../../products/product-json.js";
import { Refusal } from "../../refusal.js";
import type { ChangeKind } from "../import.schema.js";
import { readChanges } from "./review-diff.js";
import { reviewImport } from "./review-import.js";

/**
 * One page of what applying the import would change, field by field: each product as it is now
 * (`before`) and as the import would leave it (`after`). Changes are listed while the import is in
 * review, against the catalog as it is now.
 */
export async function listChanges(db: Kysely<Database>, input: { id: string; kind?: ChangeKind; page: number; pageSize: number }) {
  const { row } = await reviewImport(db, input.id);
  if (!(await stagingPartExists(db, input.id, "diff"))) {
    throw new Refusal("conflict", `Import ${input.id} is ${row.status}; its changes are listed only while it is in review.`);
  }
  const { rows, total } = await readChanges(db, input.id, input);
  const ids = rows.flatMap((change) => (change.productId ? [change.productId] : []));
  const products = ids.length ? await db.selectFrom("products").selectAll().where("id", "in", ids).execute() : [];
  const byId = new Map(products.map((product) => [product.id, toProductJson(product)]));
  return {
    items: rows.map((change) => {
      const before = change.productId ? (byId.get(change.productId) ?? null) : null;
      return {
        sku: change.after?.sku ?? before?.sku ?? "",
        kind: change.kind,
        before,
        after: change.after,
        changedFields: change.changedFields,
      };
    }),
    total,
    page: input.page,
    pageSize: input.pageSize,
  };
}
