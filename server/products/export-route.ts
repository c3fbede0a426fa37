import type { RequestHandler } from "express";
import type { Kysely } from "kysely";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { pipeline } from "node:stream/promises";
import { sql } from "kysely";
import type { Database } from "../../db/schema.js";
import { productFilters } from "./product.schema.js";
import { filtered } from "./products.table.js";
import { asyncRoute } from "../http/async-route.js";

/** Query-string filters as products.list takes them (`active=true|false`). */
function filtersFrom(query: Record<string, unknown>) {
  const text = (key: string) => (typeof query[key] === "string" && query[key] !== "" ? (query[key] as string) : undefined);
  const active = text("active");
  return productFilters.safeParse({
    sku: text("sku"),
    name: text("name"),
    description: text("description"),
    active: active === undefined ? undefined : active === "true" ? true : active === "false" ? false : active,
  });
}

/**
 * COPY cannot take bind parameters, so the compiled query's parameters are inlined as escaped
 * literals by the driver's own escaping (the only place the app builds SQL text from input).
 */
function inlineParameters(client: pg.PoolClient, text: string, parameters: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, index: string) => client.escapeLiteral(String(parameters[Number(index) - 1])));
}

/**
 * `GET /api/products/export`: the catalog (or what the filters select) as CSV
 * `sku,name,description,active`, streamed by Postgres. Importing it back changes nothing.
 */
export function exportRoute(deps: { db: Kysely<Database>; pool: pg.Pool }): RequestHandler {
  return asyncRoute(async (req, res) => {
    const filters = filtersFrom(req.query as Record<string, unknown>);
    if (!filters.success) {
      res.status(400).json({ error: filters.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ") });
      return;
    }
    const query = filtered(
      deps.db
        .selectFrom("products")
        .select(["sku", "name", "description", sql<string>`CASE WHEN active THEN 'true' ELSE 'false' END`.as("active")]),
      filters.data,
    )
      .orderBy("id")
      .compile();
    const client = await deps.pool.connect();
    let broken = false;
    try {
      const copy = `COPY (${inlineParameters(client, query.sql, query.parameters)}) TO STDOUT WITH (FORMAT csv, HEADER true)`;
      const day = new Date().toISOString().slice(0, 10);
      res.set({ "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="products-${day}.csv"` });
      await pipeline(client.query(copyTo(copy)), res);
    } catch (error) {
      // A COPY cut short (the browser went away) leaves the connection mid-protocol: never reuse it.
      broken = true;
      if (!res.headersSent) res.status(500).json({ error: "The export failed; try again." });
      else res.destroy(error as Error);
    } finally {
      client.release(broken);
    }
  });
}
