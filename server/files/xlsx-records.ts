import ExcelJS from "exceljs";
import numfmt from "numfmt";
import unzipper from "unzipper";
import type { SourceRecord } from "./csv-records.js";
import { unusableFile } from "./unusable-file.js";

/** A sheet of a workbook, in the order its tabs show. */
export interface SheetInfo {
  name: string;
  /** 1-based, as the tabs count. */
  position: number;
  /** The workbook's own id of the sheet (exceljs names a streamed sheet by it). */
  sheetId: number;
}

const XML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const unescapeXml = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => XML_ENTITIES[name]!);

/**
 * The workbook's sheets, read from its zip directory without reading its rows: a file that is not
 * a whole workbook (truncated, another kind of zip) is refused here, before the streaming reader
 * (which would wait forever on a truncated file) sees it.
 */
export async function workbookSheets(file: string): Promise<SheetInfo[]> {
  let directory: unzipper.CentralDirectory;
  try {
    directory = await unzipper.Open.file(file);
  } catch {
    throw unusableFile(
      "The workbook cannot be opened: it is damaged or incomplete (was the upload cut short?). Save it again as .xlsx and upload it again.",
    );
  }
  const workbook = directory.files.find((entry) => entry.path === "xl/workbook.xml");
  if (!workbook) throw unusableFile("This zip file is not an Excel workbook (it has no xl/workbook.xml). Save the sheet as .xlsx or as CSV.");
  const xml = (await workbook.buffer()).toString("utf8");
  const sheets = [...xml.matchAll(/<(?:\w+:)?sheet\b([^>]*)\/?>/g)].map((match, i) => {
    const attribute = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(match[1]!)?.[1];
    return { name: unescapeXml(attribute("name") ?? `Sheet${i + 1}`), position: i + 1, sheetId: Number(attribute("sheetId") ?? i + 1) };
  });
  if (!sheets.length) throw unusableFile("The workbook has no sheets.");
  return sheets;
}

/** The sheet an upload asks for (a name, or a 1-based number), or the first. */
export function chooseSheet(sheets: SheetInfo[], wanted: string | undefined): SheetInfo {
  if (wanted === undefined || wanted.trim() === "") return sheets[0]!;
  const byName = sheets.find((sheet) => sheet.name === wanted) ?? sheets.find((sheet) => sheet.name.toLowerCase() === wanted.trim().toLowerCase());
  const byNumber = /^\d+$/.test(wanted.trim()) ? sheets.find((sheet) => sheet.position === Number(wanted)) : undefined;
  const sheet = byName ?? byNumber;
  if (!sheet) {
    const names = sheets.map((s) => `${s.position}: "${s.name}"`).join(", ");
    throw unusableFile(`sheet "${wanted}" is not in this workbook; its sheets are ${names}.`);
  }
  return sheet;
}

/** Excel counts days from 1899-12-30; exceljs hands dates over as UTC midnight. */
const serialOf = (date: Date) => date.getTime() / 86_400_000 + 25_569;

/** A cell as the text a person sees in Excel: numbers and dates in the cell's own format. */
export function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return "";
  const format = cell.numFmt;
  if (value instanceof Date) return numfmt.format(format || "yyyy-mm-dd", serialOf(value));
  if (typeof value === "number") return numfmt.format(format || "General", value);
  if (typeof value === "object" && ("formula" in value || "sharedFormula" in value)) {
    // The cached result; exceljs's own text drops a result of 0.
    const result = (cell as unknown as { result: unknown }).result;
    if (result === null || result === undefined || (typeof result === "number" && Number.isNaN(result))) return "";
    if (result instanceof Date) return numfmt.format(format || "yyyy-mm-dd", serialOf(result));
    return typeof result === "number" ? numfmt.format(format || "General", result) : String(result);
  }
  return cell.text;
}

const BATCH = 500;
/** A reader that yields no row for this long has stopped (a damaged part of the workbook). */
const STALL_MS = 30_000;

function withinStall<T>(step: Promise<T>, rowsSoFar: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(unusableFile(`The workbook could not be read past row ${rowsSoFar}: it is damaged. Save it again as .xlsx, or as CSV.`)),
      STALL_MS,
    );
  });
  return Promise.race([step, stalled]).finally(() => clearTimeout(timer));
}

/**
 * One sheet's rows, streamed (exceljs' WorkbookReader), as records whose line is the spreadsheet's
 * row number and whose fields are the text each cell shows. Every row has as many fields as the
 * header; rows with no value at all are skipped, like blank lines.
 */
export async function* xlsxRecords(file: string, sheet: SheetInfo): AsyncGenerator<SourceRecord[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore",
  });
  const worksheets = reader[Symbol.asyncIterator]();
  let width = 0;
  let found = false;
  let rows = 0;
  try {
    for (let next = await worksheets.next(); !next.done; next = await worksheets.next()) {
      const worksheet = next.value as ExcelJS.stream.xlsx.WorksheetReader & { id: number };
      if (worksheet.id !== sheet.sheetId) {
        for await (const _row of worksheet) {
          // Other sheets are read past, not kept.
        }
        continue;
      }
      found = true;
      let batch: SourceRecord[] = [];
      const iterator = worksheet[Symbol.asyncIterator]();
      for (let step = await withinStall(iterator.next(), rows); !step.done; step = await withinStall(iterator.next(), rows)) {
        const row = step.value;
        rows = row.number;
        if (!row.hasValues) continue;
        if (width === 0) width = Math.max(1, row.cellCount);
        const fields = new Array<string>(width);
        for (let column = 1; column <= width; column += 1) fields[column - 1] = cellText(row.getCell(column));
        if (fields.every((field) => field.trim() === "")) continue;
        batch.push({ line: row.number, fields });
        if (batch.length >= BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    }
  } catch (error) {
    if ((error as { kind?: string }).kind) throw error;
    throw unusableFile(`The workbook could not be read (${(error as Error).message}). Save it again as .xlsx, or as CSV.`);
  }
  if (!found) throw unusableFile(`The sheet "${sheet.name}" could not be read from the workbook.`);
}
