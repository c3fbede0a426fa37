import type { RequestHandler } from "express";
import type { Kysely } from "kysely";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { pipeline } from "node:stream/promises";
import { sql } from "kysely";
import type { Database } from "../../db/schema.js";
import { spreadsheetSafeSql } from "./spreadsheet-safe-sql.js";
import { whenClientStopsReading } from "../http/client-silence.js";
import { productFilters, RANGE_FILTERS, TEXT_FILTERS, type ProductFilters } from "./product.schema.js";
import { filtered } from "./products.table.js";
import { asyncRoute } from "../http/async-route.js";
import { listFieldRows, type FieldRow } from "./custom-fields/fields.table.js";
import { attributeFilterFromQuery, attributeTarget } from "./custom-fields/attribute-target.schema.js";
import { readAttributeFilter } from "./custom-fields/attribute-filters.js";
import { Refusal, sendRefusal } from "../refusal.js";
import { stringify } from "csv-stringify";
import { PLATFORM_FORMATS, platformWriter, type ExportedProduct, type PlatformWriter } from "./platform-export.js";

const FILTER_KEYS = [...TEXT_FILTERS, ...RANGE_FILTERS, "active", "hasImages"] as const;

/** Query-string filters as products.list takes them (`active=true|false`, `stockMax=0`); each given at most once. */
function filtersFrom(query: Record<string, unknown>) {
  const repeated = FILTER_KEYS.filter((key) => query[key] !== undefined && typeof query[key] !== "string");
  if (repeated.length) {
    return { success: false as const, message: `${repeated.join(", ")}: give each filter once, as text (e.g. ?name=cap).` };
  }
  const text = (key: string) => (typeof query[key] === "string" && query[key] !== "" ? (query[key] as string) : undefined);
  const active = text("active");
  const hasImages = text("hasImages");
  const whole = (key: string) => {
    const value = text(key);
    return value !== undefined && /^-?\d{1,10}$/.test(value.trim()) ? Number(value) : value;
  };
  const parsed = productFilters.safeParse({
    ...Object.fromEntries(TEXT_FILTERS.map((key) => [key, text(key)])),
    priceMin: text("priceMin"),
    priceMax: text("priceMax"),
    stockMin: whole("stockMin"),
    stockMax: whole("stockMax"),
    active: active === undefined ? undefined : active === "true" ? true : active === "false" ? false : active,
    hasImages: hasImages === undefined ? undefined : hasImages === "true" ? true : hasImages === "false" ? false : hasImages,
  });
  if (parsed.success) return { success: true as const, data: parsed.data };
  return { success: false as const, message: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ") };
}

/**
 * A custom field's column, `attributes.<key>`: its value as a file's cell writes it (a list joined
 * by commas, which no item holds; numbers, yes/no and dates as stored), so importing it back reads the same.
 */
function attributeColumn(field: FieldRow) {
  const value =
    field.type === "list"
      ? sql<string>`nullif(array_to_string(ARRAY(SELECT jsonb_array_elements_text(attributes -> ${field.key}::text)), ', '), '')`
      : sql<string>`(attributes ->> ${field.key}::text)`;
  const text = ["text", "url", "choice", "list"].includes(field.type) ? spreadsheetSafeSql(value) : value;
  return text.as(attributeTarget(field.key));
}

/**
 * COPY cannot take bind parameters, so the compiled query's parameters are inlined as escaped
 * literals by the driver's own escaping (the only place the app builds SQL text from input).
 */
function inlineParameters(client: pg.PoolClient, text: string, parameters: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, index: string) => client.escapeLiteral(String(parameters[Number(index) - 1])));
}

const FORMATS = ["csv", ...PLATFORM_FORMATS] as const;
type ExportFormat = (typeof FORMATS)[number];

/** `format`: csv (the default), shopify or woocommerce. */
function formatFrom(given: unknown): { value: ExportFormat } | { problem: string } {
  if (given === undefined || given === "") return { value: "csv" };
  const format = typeof given === "string" ? given.trim().toLowerCase() : "";
  return (FORMATS as readonly string[]).includes(format)
    ? { value: format as ExportFormat }
    : { problem: `format must be one of ${FORMATS.join(", ")} (given once, as text).` };
}

/** The CSV export's columns (CONTRACT.md), marked where a spreadsheet would run a cell as a formula. */
async function csvQuery(db: Kysely<Database>, filters: ProductFilters) {
  return filtered(
    db.selectFrom("products").select([
      spreadsheetSafeSql(sql.ref("sku")).as("sku"),
      spreadsheetSafeSql(sql.ref("name")).as("name"),
      spreadsheetSafeSql(sql.ref("description")).as("description"),
      sql<string>`CASE WHEN active THEN 'true' ELSE 'false' END`.as("active"),
      sql<string>`price::text`.as("price"),
      sql<string>`compare_at_price::text`.as("compare_at_price"),
      sql<string>`stock::text`.as("stock"),
      spreadsheetSafeSql(sql.ref("barcode")).as("barcode"),
      sql<string>`weight_grams::text`.as("weight_grams"),
      spreadsheetSafeSql(sql.ref("brand")).as("brand"),
      spreadsheetSafeSql(sql.ref("category")).as("category"),
      // Read back by splitting on commas, which no tag holds.
      spreadsheetSafeSql(sql`nullif(array_to_string(tags, ', '), '')`).as("tags"),
      ...(await listFieldRows(db)).map(attributeColumn),
    ]),
    filters,
  )
    .orderBy("id")
    .compile();
}

/** The products a platform export writes, a group's together (by group in any case, then as added), those alone after them. */
function platformQuery(db: Kysely<Database>, filters: ProductFilters) {
  return filtered(
    db
      .selectFrom("products")
      .select([
        "id",
        "sku",
        "name",
        "description",
        "active",
        sql<string>`price::text`.as("price"),
        sql<string>`compare_at_price::text`.as("compare_at_price"),
        "stock",
        "barcode",
        sql<string>`weight_grams::text`.as("weight_grams"),
        sql<string>`trim_scale(weight_grams * 0.001)::text`.as("weight_kg"),
        "brand",
        "category",
        "tags",
        "product_group",
        "options",
        "images",
      ]),
    filters,
  )
    .orderBy(sql`product_group IS NULL`)
    .orderBy(sql`lower(product_group)`)
    .orderBy("id")
    .compile();
}

const CURSOR_ROWS = 1_000;

/** The selected products through a cursor, a group's at a time, as the platform's rows. */
async function* platformRows(client: pg.PoolClient, query: string, writer: PlatformWriter): AsyncGenerator<string[]> {
  yield writer.header;
  await client.query("BEGIN READ ONLY");
  await client.query(`DECLARE platform_export NO SCROLL CURSOR FOR ${query}`);
  let group: ExportedProduct[] = [];
  const groupKey = (product: ExportedProduct) => (product.product_group === null ? null : product.product_group.toLowerCase());
  for (;;) {
    const { rows } = await client.query<ExportedProduct>(`FETCH ${CURSOR_ROWS} FROM platform_export`);
    for (const product of rows) {
      const key = groupKey(product);
      if (group.length && (key === null || key !== groupKey(group[0]!))) {
        yield* writer.rows(group);
        group = [];
      }
      group.push(product);
    }
    if (rows.length < CURSOR_ROWS) break;
  }
  if (group.length) yield* writer.rows(group);
  await client.query("COMMIT");
}

export interface ExportRouteDeps {
  db: Kysely<Database>;
  pool: pg.Pool;
  /** Each export holds a pooled connection for as long as its client reads: more wait their turn. */
  maxConcurrent: number;
  /** An export whose client takes nothing for this long is ended (EXPORT_STALL_TIMEOUT_MS). */
  stallTimeoutMs: number;
}

/**
 * `GET /api/products/export`: the catalog (or what the filters select) as CSV
 * `sku,name,description,active,price,compare_at_price,stock,barcode,weight_grams,brand,category,tags`
 * (CONTRACT.md), streamed by Postgres. Importing it back changes nothing; cells
 * a spreadsheet would run as formulas are marked (server/csv/formula-cells.ts).
 */
export function exportRoute(deps: ExportRouteDeps): RequestHandler {
  let running = 0;
  return asyncRoute(async (req, res) => {
    const filters = filtersFrom(req.query as Record<string, unknown>);
    if (!filters.success) return sendRefusal(res, new Refusal("invalid", filters.message));
    // The products page's custom-field filters, read by each field's type (a refused one is a 400 naming it).
    let attributes;
    try {
      attributes = await readAttributeFilter(deps.db, attributeFilterFromQuery(new URL(req.originalUrl, "http://x").searchParams.entries()));
    } catch (error) {
      if (error instanceof Refusal) return sendRefusal(res, error);
      throw error;
    }
    if (running >= deps.maxConcurrent) {
      const busy = `This server is already streaming ${running} exports. Try again in a few seconds.`;
      return sendRefusal(res, new Refusal("busy", busy, { retryAfterSeconds: 10 }));
    }
    const format = formatFrom(req.query.format);
    if ("problem" in format) return sendRefusal(res, new Refusal("invalid", format.problem));
    const selected = { ...filters.data, attributes: attributes as ProductFilters["attributes"] };
    const query = format.value === "csv" ? await csvQuery(deps.db, selected) : platformQuery(deps.db, selected);
    running += 1;
    const client = await deps.pool.connect().catch((error: unknown) => {
      running -= 1;
      throw error;
    });
    let broken = false;
    const stopWatching = whenClientStopsReading(res, deps.stallTimeoutMs, () => {
      req.log.warn({ stallTimeoutMs: deps.stallTimeoutMs }, "export ended: its client stopped reading");
      res.destroy();
    });
    try {
      const day = new Date().toISOString().slice(0, 10);
      const writer = format.value === "csv" ? null : platformWriter(format.value);
      const filename = writer ? writer.filename.replace(".csv", `-${day}.csv`) : `products-${day}.csv`;
      res.set({ "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"` });
      // An export runs as long as its client reads: parallel workers would be held from every other query that long.
      await client.query("SET max_parallel_workers_per_gather = 0");
      const text = inlineParameters(client, query.sql, query.parameters);
      if (!writer) await pipeline(client.query(copyTo(`COPY (${text}) TO STDOUT WITH (FORMAT csv, HEADER true)`)), res);
      else await pipeline(platformRows(client, text, writer), stringify(), res);
      await client.query("RESET max_parallel_workers_per_gather");
    } catch (error) {
      // A COPY or cursor cut short (the browser went away) leaves the connection mid-protocol: never reuse it.
      broken = true;
      if (!res.headersSent) res.status(500).json({ error: "The export failed; try again." });
      else res.destroy(error as Error);
    } finally {
      stopWatching();
      running -= 1;
      client.release(broken);
    }
  });
}
