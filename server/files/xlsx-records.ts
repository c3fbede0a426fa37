import numfmt from "numfmt";
import { SaxesParser, type SaxesTagPlain } from "saxes";
import unzipper from "unzipper";
import type { SourceRecord } from "./csv-records.js";
import { MAX_CELL_CHARS, MAX_COLUMNS, MAX_RECORD_CHARS, MAX_SHEET_ROWS, MAX_WORKBOOK_PART_CHARS } from "./file-limits.js";
import { SharedStrings } from "./shared-strings.js";
import { unusableFile } from "./unusable-file.js";
import { BATCH_CHARS, BATCH_ROWS } from "./batch-sizes.js";

/**
 * A workbook's rows, read straight from its zip (unzipper) with a streaming XML parser (saxes).
 * exceljs' streaming reader was tried first and measured: it splits UTF-8 characters that fall on
 * a chunk boundary ("Crème" read as "Cr��me" once in ~50,000 rows), writes every sheet to temporary
 * files it does not always remove, and waits forever on a truncated file. Reading the parts by
 * name from the zip's directory avoids all three (docs/decisions/0010-supplier-files.md).
 */

/** A sheet of a workbook, in the order its tabs show. */
export interface SheetInfo {
  name: string;
  /** 1-based, as the tabs count. */
  position: number;
  /** The sheet's part in the zip (`xl/worksheets/sheet1.xml`). */
  part: string;
}

interface Workbook {
  directory: unzipper.CentralDirectory;
  sheets: SheetInfo[];
  /** Dates count from 1904 in workbooks made on old Macs. */
  date1904: boolean;
}

/** Every element's name without its namespace prefix (`x:row` is `row`). */
const local = (name: string) => name.slice(name.indexOf(":") + 1);

type PartHandlers = { open?: (tag: SaxesTagPlain) => void; text?: (text: string) => void; close?: (name: string) => void };

/** What saxes holds while it reads one name, attribute, text run or comment (its own fields, not its API). */
interface SaxesBuffers {
  text: string;
  name: string;
  piTarget: string;
  entity: string;
  openWakaBang: string;
  attribList: unknown[];
  tags: unknown[];
}

/** Far more than a workbook's markup ever needs at once, far less than a memory problem. */
const MAX_PENDING_CHARS = 8 * MAX_CELL_CHARS;
const MAX_ATTRIBUTES = 1_000;
const MAX_DEPTH = 1_000;
/**
 * saxes is fed at most this much at a time, so what it holds is checked before it can grow large.
 * Inflating hands over 16 K at a time anyway; slicing finer measurably slows saxes (its scans run
 * over sliced strings). A slice's rows can still name shared texts far larger than itself; past
 * the worker's heap that ends the worker, not the server.
 */
const SLICE_CHARS = 64 * 1024;

const tooLarge = (what: string) =>
  unusableFile(`${what}, more than a workbook made by Excel or a shop's export ever holds. Save the sheet again as .xlsx, or as CSV.`);

/**
 * A hostile workbook can hold one value (a text, a name, an attribute) of hundreds of megabytes
 * that inflates from a few kilobytes; saxes would gather it whole before any handler saw it.
 */
function assertBounded(parser: SaxesParser): void {
  const held = parser as unknown as SaxesBuffers;
  const pending = held.text.length + held.name.length + held.piTarget.length + held.entity.length + held.openWakaBang.length;
  if (pending > MAX_PENDING_CHARS) throw tooLarge(`One value in the workbook is longer than ${MAX_PENDING_CHARS.toLocaleString("en-US")} characters`);
  if (held.attribList.length > MAX_ATTRIBUTES) throw tooLarge(`An element of the workbook has more than ${MAX_ATTRIBUTES} attributes`);
  if (held.tags.length > MAX_DEPTH) throw tooLarge(`The workbook's elements are nested more than ${MAX_DEPTH} deep`);
}

/**
 * Runs saxes over a part of the workbook, decoding its UTF-8 across chunk boundaries; yields after
 * each chunk, so a caller can hand on what the handlers gathered before more is read. A part may
 * be given a size limit (in characters of XML), checked as it inflates, not by what the zip claims.
 */
async function* partChunks(entry: unzipper.File, handlers: PartHandlers, maxChars = Infinity): AsyncGenerator<void> {
  const parser = new SaxesParser();
  let failure: Error | null = null;
  parser.on("error", (error) => (failure ??= error));
  if (handlers.open) parser.on("opentag", handlers.open as (tag: SaxesTagPlain) => void);
  if (handlers.text) parser.on("text", handlers.text);
  if (handlers.close) parser.on("closetag", (tag) => handlers.close!(local(tag.name)));
  const text = entry.stream().setEncoding("utf8");
  let read = 0;
  try {
    for await (const chunk of text as AsyncIterable<string>) {
      read += chunk.length;
      if (read > maxChars) throw tooLarge(`The workbook's part ${entry.path} is larger than ${(maxChars / 1024 / 1024).toFixed(0)} MB`);
      for (let at = 0; at < chunk.length; at += SLICE_CHARS) {
        parser.write(chunk.length > SLICE_CHARS ? chunk.slice(at, at + SLICE_CHARS) : chunk);
        if (failure) throw failure;
        assertBounded(parser);
      }
      yield;
    }
    parser.close();
    if (failure) throw failure;
  } finally {
    text.destroy();
  }
}

async function parsePart(entry: unzipper.File, handlers: PartHandlers, maxChars = MAX_WORKBOOK_PART_CHARS): Promise<void> {
  for await (const _chunk of partChunks(entry, handlers, maxChars)) {
    // Everything happens in the handlers.
  }
}

function entryOf(workbook: Pick<Workbook, "directory">, path: string): unzipper.File | undefined {
  return workbook.directory.files.find((file) => file.path === path || file.path === `/${path}`);
}

/**
 * Opens a workbook by its zip directory, which is read first: a file that is not a whole workbook
 * (truncated, another kind of zip) is refused here, before any row is read.
 */
export async function openWorkbook(file: string): Promise<Workbook> {
  let directory: unzipper.CentralDirectory;
  try {
    directory = await unzipper.Open.file(file);
  } catch {
    throw unusableFile(
      "The workbook cannot be opened: it is damaged or incomplete (was the upload cut short?). Save it again as .xlsx and upload it again.",
    );
  }
  const book = entryOf({ directory }, "xl/workbook.xml");
  if (!book) throw unusableFile("This zip file is not an Excel workbook (it has no xl/workbook.xml). Save the sheet as .xlsx or as CSV.");
  const found: { name: string; relationship: string }[] = [];
  let date1904 = false;
  await parsePart(book, {
    open: (tag) => {
      const name = local(tag.name);
      if (name === "workbookPr") date1904 = tag.attributes.date1904 === "1" || tag.attributes.date1904 === "true";
      if (name !== "sheet") return;
      const relationship = Object.entries(tag.attributes).find(([key]) => local(key) === "id" && key !== "sheetId")?.[1] ?? "";
      found.push({ name: tag.attributes.name ?? `Sheet${found.length + 1}`, relationship });
    },
  });
  const targets = new Map<string, string>();
  const rels = entryOf({ directory }, "xl/_rels/workbook.xml.rels");
  if (rels) {
    await parsePart(rels, {
      open: (tag) => {
        if (local(tag.name) === "Relationship") targets.set(tag.attributes.Id ?? "", tag.attributes.Target ?? "");
      },
    });
  }
  const sheets = found.map((sheet, i) => {
    const target = targets.get(sheet.relationship) ?? `worksheets/sheet${i + 1}.xml`;
    return { name: sheet.name, position: i + 1, part: target.startsWith("/") ? target.slice(1) : `xl/${target}` };
  });
  if (!sheets.length) throw unusableFile("The workbook has no sheets.");
  return { directory, sheets, date1904 };
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

/**
 * The workbook's shared strings (text cells point into it), rich text runs joined, phonetic guides
 * left out. Held whole while the sheet is read, so its size is capped as it is read.
 */
async function sharedStrings(workbook: Workbook): Promise<SharedStrings> {
  const strings = new SharedStrings();
  const entry = entryOf(workbook, "xl/sharedStrings.xml");
  if (!entry) return strings;
  let current: string | null = null;
  let inText = false;
  let inPhonetic = false;
  await parsePart(
    entry,
    {
      open: (tag) => {
        const name = local(tag.name);
        if (name === "si") current = "";
        else if (name === "t") inText = !inPhonetic;
        else if (name === "rPh") inPhonetic = true;
      },
      text: (text) => {
        if (!inText || current === null) return;
        if (current.length + text.length > MAX_CELL_CHARS) throw cellTooLong(`The workbook's text number ${strings.size + 1}`);
        current += text;
      },
      close: (name) => {
        if (name === "t") inText = false;
        else if (name === "rPh") inPhonetic = false;
        else if (name === "si") {
          strings.add(current ?? "");
          current = null;
        }
      },
    },
    Infinity,
  );
  return strings;
}

const cellTooLong = (where: string, line: number | null = null) =>
  unusableFile(
    `${where} is longer than ${MAX_CELL_CHARS.toLocaleString("en-US")} characters, more than any field takes (Excel itself holds at most 32,767 in a cell). Shorten it, or save the sheet as CSV.`,
    line,
  );

/**
 * A built-in number format (one a workbook uses by id without declaring it). The locale's short
 * date (id 14) depends on the reader's machine in Excel; it is shown ISO-style here.
 */
function builtInFormat(id: number): string {
  if (id === 14) return "yyyy-mm-dd";
  if (id === 22) return "yyyy-mm-dd h:mm";
  return numfmt.getFormatFromId(id) || "General";
}

/** Each cell style's number format, by the style's index (a cell's `s`). */
async function cellFormats(workbook: Workbook): Promise<string[]> {
  const entry = entryOf(workbook, "xl/styles.xml");
  if (!entry) return [];
  const custom = new Map<number, string>();
  const formats: string[] = [];
  let inCellXfs = false;
  await parsePart(entry, {
    open: (tag) => {
      const name = local(tag.name);
      if (name === "numFmt") custom.set(Number(tag.attributes.numFmtId), tag.attributes.formatCode ?? "General");
      else if (name === "cellXfs") inCellXfs = true;
      else if (name === "xf" && inCellXfs) {
        const id = Number(tag.attributes.numFmtId ?? 0);
        formats.push(custom.get(id) ?? builtInFormat(id));
      }
    },
    close: (name) => {
      if (name === "cellXfs") inCellXfs = false;
    },
  });
  return formats;
}

/** `C12` → column 2 (0-based). */
function columnOf(reference: string | undefined): number | null {
  if (!reference) return null;
  let column = 0;
  for (const char of reference) {
    const code = char.charCodeAt(0);
    if (code < 65 || code > 90) break;
    column = column * 26 + (code - 64);
  }
  return column ? column - 1 : null;
}

/** Column 16,384 → "XFD", as the sheet's tabs name it. */
function columnName(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

const LAST_COLUMN = columnName(MAX_COLUMNS - 1);

/** A row's number as the sheet writes it (`r`), or the next one when it leaves it out. */
function rowNumberOf(given: string | undefined, previous: number): number {
  const number = given === undefined ? previous + 1 : /^\d{1,8}$/.test(given) ? Number(given) : NaN;
  if (!(number >= 1 && number <= MAX_SHEET_ROWS)) {
    const shown = given === undefined ? String(number) : given.slice(0, 20);
    throw unusableFile(`A row of the sheet is numbered "${shown}"; rows are numbered 1 to ${MAX_SHEET_ROWS.toLocaleString("en-US")}.`);
  }
  return number;
}

/** Rows are handed on in batches of at most this many, or of this many fields or characters for a wide sheet. */
const BATCH = BATCH_ROWS;
const BATCH_FIELDS = BATCH_CHARS;
/** A sheet of long cells: 8 MB of text is one batch, however few its rows. */
const BATCH_TEXT = 8 * 1024 * 1024;

/**
 * One sheet's rows, streamed, as records whose line is the spreadsheet's row number and whose
 * fields are the text each cell shows (numbers and dates in the cell's own format). Every row has
 * as many fields as the header; rows with no value at all are skipped, like blank lines.
 */
export async function* xlsxRecords(workbook: Workbook, sheet: SheetInfo): AsyncGenerator<SourceRecord[]> {
  const entry = entryOf(workbook, sheet.part);
  if (!entry) throw unusableFile(`The sheet "${sheet.name}" is missing from the workbook.`);
  const [strings, formats] = await Promise.all([sharedStrings(workbook), cellFormats(workbook)]);
  const dateOffset = workbook.date1904 ? 1462 : 0;
  let width = 0;
  let batch: SourceRecord[] = [];
  let batchFields = 0;
  let batchChars = 0;
  let rowChars = 0;
  const ready: SourceRecord[][] = [];
  // The row being read, and the cell in it.
  let rowNumber = 0;
  let cells: string[] = [];
  let cell: { column: number; type: string; style: number; value: string; inline: string } | null = null;
  let reading: "v" | "t" | null = null;
  let nextColumn = 0;

  const cellText = (found: NonNullable<typeof cell>): string => {
    switch (found.type) {
      case "s":
        return strings.get(Number(found.value));
      case "inlineStr":
        return found.inline;
      case "b":
        return found.value === "1" ? "TRUE" : found.value === "0" ? "FALSE" : found.value;
      case "str":
      case "e":
      case "d":
        return found.value;
      default: {
        if (found.value === "") return "";
        const number = Number(found.value);
        if (!Number.isFinite(number)) return found.value;
        const format = formats[found.style] ?? "General";
        return numfmt.format(format, numfmt.isDateFormat(format) ? number + dateOffset : number);
      }
    }
  };

  const handlers: PartHandlers = {
    open: (tag) => {
      const name = local(tag.name);
      if (name === "row") {
        rowNumber = rowNumberOf(tag.attributes.r, rowNumber);
        cells = [];
        nextColumn = 0;
        rowChars = 0;
      } else if (name === "c") {
        const column = columnOf(tag.attributes.r) ?? nextColumn;
        if (column >= MAX_COLUMNS) {
          const at = tag.attributes.r ?? columnName(column);
          throw unusableFile(
            `cell ${at.slice(0, 20)} lies beyond column ${LAST_COLUMN}, the last of the ${MAX_COLUMNS.toLocaleString("en-US")} columns a sheet may have.`,
            rowNumber,
          );
        }
        cell = { column, type: tag.attributes.t ?? "n", style: Number(tag.attributes.s ?? 0), value: "", inline: "" };
        nextColumn = column + 1;
      } else if (cell && name === "v") reading = "v";
      else if (cell && name === "t") reading = "t";
    },
    text: (text) => {
      if (!cell || !reading) return;
      if (cell.value.length + cell.inline.length + text.length > MAX_CELL_CHARS)
        throw cellTooLong(`cell ${columnName(cell.column)}${rowNumber}`, rowNumber);
      if (reading === "v") cell.value += text;
      else cell.inline += text;
    },
    close: (name) => {
      if (name === "v" || name === "t") reading = null;
      else if (name === "c" && cell) {
        const text = cellText(cell);
        rowChars += text.length;
        if (rowChars > MAX_RECORD_CHARS) throw unusableFile(`the row holds more than ${MAX_RECORD_CHARS / 1024 / 1024} M characters.`, rowNumber);
        cells[cell.column] = text;
        cell = null;
      } else if (name === "row") {
        if (!cells.some((value) => value !== undefined && value.trim() !== "")) return;
        if (width === 0) width = cells.length;
        batch.push({ line: rowNumber, fields: Array.from({ length: width }, (_, i) => cells[i] ?? "") });
        batchFields += width;
        batchChars += rowChars;
        if (batch.length >= BATCH || batchFields >= BATCH_FIELDS || batchChars >= BATCH_TEXT) {
          ready.push(batch);
          batch = [];
          batchFields = 0;
          batchChars = 0;
        }
      }
    },
  };
  try {
    // Rows found in a chunk are handed on before the next chunk is read: the sheet is never held whole.
    for await (const _chunk of partChunks(entry, handlers)) {
      for (let next = ready.shift(); next; next = ready.shift()) yield next;
    }
  } catch (error) {
    if ((error as { kind?: string }).kind) throw error;
    throw unusableFile(`The workbook could not be read (${(error as Error).message}). Save it again as .xlsx, or as CSV.`);
  }
  if (batch.length) yield batch;
}
