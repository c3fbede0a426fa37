import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";

/**
 * Deterministic CSV files and, computed independently of the product (from the contract's import
 * rules, in plain JS), the exact catalog they must produce. Used by the crash tests: after a
 * crash and a restart the catalog must equal what the files say, row for row.
 */

export interface FileRow {
  sku: string;
  name: string;
  description: string;
  /** The `active` column as written in the file (only when the file has that column). */
  active?: string;
}

export interface CatalogRow {
  sku: string;
  name: string;
  description: string;
  active: boolean;
}

const ACTIVE_WORDS: Record<string, boolean> = {
  true: true,
  yes: true,
  "1": true,
  active: true,
  false: false,
  no: false,
  "0": false,
  inactive: false,
};

/** The contract's rejection rules, as far as the generated files can break them. */
function isRejected(row: FileRow, hasActive: boolean): boolean {
  if (!row.sku.trim() || !row.name.trim()) return true;
  if (hasActive && !Object.hasOwn(ACTIVE_WORDS, row.active!.trim().toLowerCase())) return true;
  return false;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Writes rows as CSV (with backpressure, never the whole file in memory); returns its size. */
export async function writeCsvFile(file: string, hasActive: boolean, rows: Iterable<FileRow>): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  let chunk = hasActive ? "sku,name,description,active\n" : "sku,name,description\n";
  const flush = async () => {
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, "drain");
    chunk = "";
  };
  for (const row of rows) {
    chunk += `${csvField(row.sku)},${csvField(row.name)},${csvField(row.description)}${hasActive ? `,${csvField(row.active!)}` : ""}\n`;
    if (chunk.length > 1 << 20) await flush();
  }
  await flush();
  out.end();
  await once(out, "close");
  return bytes;
}

/** The catalog as the contract says it must be, keyed by lower-cased SKU (the files are ASCII). */
export class ExpectedCatalog {
  readonly rows = new Map<string, CatalogRow>();

  /** Applies one file: last accepted row per SKU wins; returns the counts the import must report. */
  apply(fileRows: Iterable<FileRow>, hasActive: boolean) {
    const latest = new Map<string, FileRow>();
    let total = 0;
    let rejected = 0;
    for (const row of fileRows) {
      total += 1;
      if (isRejected(row, hasActive)) {
        rejected += 1;
        continue;
      }
      latest.set(row.sku.trim().toLowerCase(), row);
    }
    let created = 0;
    let updated = 0;
    for (const [key, row] of latest) {
      const before = this.rows.get(key);
      if (before) updated += 1;
      else created += 1;
      this.rows.set(key, {
        sku: row.sku.trim(),
        name: row.name.trim(),
        description: row.description,
        active: hasActive ? ACTIVE_WORDS[row.active!.trim().toLowerCase()]! : (before?.active ?? true),
      });
    }
    return { totalRows: total, errorCount: rejected, createdCount: created, updatedCount: updated };
  }

  checksum(): CatalogChecksum {
    const hash = createHash("md5");
    const keys = [...this.rows.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    keys.forEach((key, index) => {
      const row = this.rows.get(key)!;
      hash.update(`${index ? "\x1e" : ""}${row.sku}\x1f${row.name}\x1f${row.description}\x1f${row.active}`);
    });
    return { count: keys.length, md5: keys.length ? hash.digest("hex") : EMPTY_MD5 };
  }
}

export interface CatalogChecksum {
  count: number;
  md5: string;
}

const EMPTY_MD5 = createHash("md5").update("").digest("hex");

/**
 * The same checksum computed by Postgres over the products table: every row's sku, name,
 * description and active, in byte order of the lower-cased SKU. `catalog_counts` (the app's
 * own running total) is returned beside it so a drift there shows too.
 */
export async function catalogChecksum(client: pg.Client | pg.Pool): Promise<CatalogChecksum & { countedByApp: number }> {
  const { rows } = await client.query<{ count: number; md5: string; counted: string }>(`
    SELECT count(*)::int AS count,
           md5(coalesce(string_agg(sku || E'\\x1f' || name || E'\\x1f' || description || E'\\x1f' || active::text, E'\\x1e'
                                   ORDER BY lower(sku) COLLATE "C"), '')) AS md5,
           (SELECT products FROM catalog_counts) AS counted
    FROM products`);
  return { count: rows[0]!.count, md5: rows[0]!.md5, countedByApp: Number(rows[0]!.counted) };
}

/* ------------------------------------------------------------------------------------------- */
/* The crash tests' catalog: a seeded catalog, then a large file that updates all of it.        */

const pad = (value: number) => String(value).padStart(7, "0");
const ACTIVE_SPELLINGS = ["true", "FALSE", "Yes", "no", "1", "0", "active", "Inactive"];

/** What the crash tests load first: `count` products `SKU-0000000`…, one in ten inactive. */
export function* seedRows(count: number): Generator<FileRow> {
  for (let k = 0; k < count; k += 1) {
    yield { sku: `SKU-${pad(k)}`, name: `Seed product ${k}`, description: `Seeded, "original" ${k}`, active: k % 10 === 0 ? "no" : "yes" };
  }
}

/**
 * The large file: `rows` rows over `distinct` SKUs (`sku-0000000`…, the first ones those of the
 * seed, in other cases), so the rows past `distinct` repeat earlier SKUs and must win; every
 * name differs from the seed's; descriptions with commas, doubled quotes and embedded newlines;
 * every spelling of `active`; and a few rows with an empty name, which must be rejected (the
 * earlier row of their SKU then wins).
 */
export function* largeFileRows(rows: number, distinct: number): Generator<FileRow> {
  for (let r = 0; r < rows; r += 1) {
    const k = r % distinct;
    const sku = r % 3 === 0 ? `sku-${pad(k)}` : r % 3 === 1 ? `Sku-${pad(k)}` : `SKU-${pad(k)}`;
    const rejected = r >= distinct && r % 9_973 === 0;
    yield {
      sku,
      name: rejected ? "" : `Product ${k} revision ${r}`,
      description: r % 5 === 0 ? `Line one, "quoted" ${r}\nline two` : `Description ${r}, plain`,
      active: ACTIVE_SPELLINGS[r % ACTIVE_SPELLINGS.length]!,
    };
  }
}

/** A scratch directory for generated files, removed by `remove()`. */
export function scratchDir(prefix: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, file: (name: string) => path.join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
