import type { Kysely } from "kysely";
import type { Database } from "../../../db/schema.js";

declare const holdsCatalogLock: unique symbol;

/**
 * The transaction that holds the catalog lock: an import's merge writes the catalog through it,
 * and all of it commits or rolls back together. Only `takeCatalogLock` makes one.
 */
export type CatalogLockHolder = Kysely<Database> & { readonly [holdsCatalogLock]: true };

/**
 * A handle that is not the lock holder: the merge's writes that must show before it commits (its
 * progress, its status, a failure), on the pool. Both are Kysely handles; these two types make
 * passing one where the other belongs a compile error instead of a silent change of meaning.
 */
export type OutsideTheLock = Kysely<Database> & { readonly [holdsCatalogLock]?: never };

/** The transaction, once it holds the catalog lock. */
export const asLockHolder = (tx: Kysely<Database>) => tx as CatalogLockHolder;
