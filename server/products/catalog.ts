import { sql, type Kysely } from "kysely";
import { tryTransactionLock } from "../../db/advisory-locks.js";
import { isPgError } from "../../db/postgres-errors.js";
import type { Database } from "../../db/schema.js";
import { recordEvent } from "../events/events.table.js";
import { pause, trySearchIndexLock } from "./search-indexes.js";
import { addToProductCount, productCount } from "./catalog-counts.table.js";
import { CatalogBusy, ProductNotFound, SkuTaken } from "./product-errors.js";
import { previousValues, toProductJson } from "./product-json.js";
import { fieldDefinitions } from "./custom-fields/custom-fields.js";
import { readAttributeInput } from "./custom-fields/attribute-input.js";
import type { ProductCreateInput, ProductUpdateInput } from "./product.schema.js";
import { deleteProductRow, findProduct, insertProduct, storedSpellingOf, truncateProducts, updateProductRow } from "./products.table.js";

/**
 * Every change to the catalog made by a person: the row, the count and the event commit together,
 * so a crash can neither lose an event nor invent one.
 */
export function createProduct(db: Kysely<Database>, input: ProductCreateInput) {
  return db.transaction().execute(async (tx) => {
    const { set } = readAttributeInput(await fieldDefinitions(tx), input.attributes, true);
    const row = await insertProduct(tx, input, set);
    if (!row) throw new SkuTaken(input.sku, (await storedSpellingOf(tx, input.sku)) ?? input.sku);
    await addToProductCount(tx, 1);
    const product = toProductJson(row);
    await recordEvent(tx, "product.created", product);
    return product;
  });
}

export async function updateProduct(db: Kysely<Database>, input: ProductUpdateInput) {
  try {
    return await db.transaction().execute(async (tx) => {
      const before = await findProduct(tx, input.id, { forUpdate: true });
      if (!before) throw new ProductNotFound(input.id);
      const attributes = input.attributes && readAttributeInput(await fieldDefinitions(tx), input.attributes, false);
      const row = (await updateProductRow(tx, input, attributes))!;
      const product = toProductJson(row);
      await recordEvent(tx, "product.updated", { ...product, previous: previousValues(toProductJson(before), product) });
      return product;
    });
  } catch (error) {
    if (isPgError(error, "uniqueViolation") && input.sku) {
      throw new SkuTaken(input.sku, (await storedSpellingOf(db, input.sku)) ?? input.sku);
    }
    throw error;
  }
}

export function deleteProduct(db: Kysely<Database>, id: string) {
  return db.transaction().execute(async (tx) => {
    const row = await deleteProductRow(tx, id);
    if (!row) throw new ProductNotFound(id);
    await addToProductCount(tx, -1);
    await recordEvent(tx, "product.deleted", toProductJson(row));
    return { id };
  });
}

/** How long products.deleteAll waits for an import being applied or a search-index rebuild (seconds after a large import). */
const BUSY_WAIT_MS = 15_000;
const BUSY = Symbol("an import is being applied, or the search indexes rebuilt");

/**
 * TRUNCATE is instant at any size, but it must not queue behind a running import: waiting for
 * its lock would block every reader of the catalog meanwhile. So it asks again every moment for
 * up to BUSY_WAIT_MS (an import finishing, an import worker checking for more), then refuses.
 */
export async function deleteAllProducts(db: Kysely<Database>): Promise<{ deleted: number }> {
  const deadline = Date.now() + BUSY_WAIT_MS;
  try {
    for (;;) {
      const outcome = await truncateCatalog(db);
      if (outcome !== BUSY) return outcome;
      if (Date.now() > deadline) throw new CatalogBusy();
      await pause();
    }
  } catch (error) {
    // Someone held the table longer than we wait (a long export, say): refuse, delete nothing.
    if (isPgError(error, "lockNotAvailable")) throw new CatalogBusy();
    throw error;
  }
}

function truncateCatalog(db: Kysely<Database>) {
  return db.transaction().execute(async (tx) => {
    // TRUNCATE beside a concurrent index build would deadlock; the order is the imports' one.
    // Polled, not waited for inside a statement: a queued TRUNCATE would block every reader.
    if (!(await trySearchIndexLock(tx))) return BUSY;
    if (!(await tryTransactionLock(tx, "catalogWrite"))) return BUSY;
    await sql`SET LOCAL lock_timeout = '3s'`.execute(tx);
    const deleted = await productCount(tx);
    await truncateProducts(tx);
    await addToProductCount(tx, -deleted);
    await recordEvent(tx, "products.deleted_all", { deleted });
    return { deleted };
  });
}
