import type { Kysely } from "kysely";
import type { RequestHandler } from "express";
import { stringify } from "csv-stringify";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type { Database } from "../../db/schema.js";
import { eachRejectedRow } from "./import-errors.table.js";
import { findImport } from "./imports.table.js";
import { asyncRoute } from "../http/async-route.js";
import { isId } from "../ids.schema.js";
import { spreadsheetSafe } from "../files/formula-cells.js";
import { sendRefusal } from "../refusal.js";
import { ImportNotFound } from "./import-errors.js";

/** `GET /api/imports/:id/errors.csv`: each rejected row as `line,message` then its own fields. */
export function errorsCsvRoute(deps: { db: Kysely<Database> }): RequestHandler {
  return asyncRoute(async (req, res) => {
    const id = req.params.id ?? "";
    const found = isId(id) ? await findImport(deps.db, id) : undefined;
    if (!found) return sendRefusal(res, new ImportNotFound(id));
    res.set({
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="import-${id}-errors.csv"`,
    });
    // The rows are echoed as they were in the file, so formula cells are marked like the export's.
    async function* records() {
      yield ["line", "message", ...found!.header].map(spreadsheetSafe);
      for await (const row of eachRejectedRow(deps.db, id)) yield [String(row.line), row.message, ...row.fields].map(spreadsheetSafe);
    }
    await pipeline(Readable.from(records()), stringify(), res).catch(() => res.destroy());
  });
}
