import type { SourceRecord } from "../../files/csv-records.js";
import { resolveColumns, type MappingChoice, type ResolvedColumns, type SavedMapping } from "../../mappings/resolve-columns.js";
import type { RejectedRow } from "./validate-row.js";
import { RowReader } from "./row-reader.js";
import { stagedRowCopy, type StagedRow, type VariantAssignment } from "../staging/staged-row.js";
import type { DecimalSeparatorChoice, EmptyCellRule } from "../../products/commerce-fields.schema.js";
import type { FieldDefinition } from "../../products/custom-fields/field-values.schema.js";
import { emptyRowNotesPart, noteMadeSku, type RowNotesPart } from "../row-notes.js";

/**
 * What decides how records become rows, in a form that crosses to a worker thread: the same
 * inputs give the same columns (resolveColumns is pure), so both threads read a file alike.
 */
export interface ColumnInputs {
  header: string[];
  choice: MappingChoice;
  saved: SavedMapping | undefined;
  /** The team's own fields, as the upload began (plain data: it crosses to the worker). */
  fields: FieldDefinition[];
  /** With `keep`, an empty cell keeps the stored value, so a required field's empty cell is no fault of the row (a new product's is found after staging). */
  emptyCells?: EmptyCellRule;
  /** A sync keeps the products its rejected rows name: their SKUs count as present. */
  keepRejectedSkus: boolean;
}

/** A stretch of the file turned into the staging table's COPY text, the rows it rejected, and what is worth saying about it. */
export interface EncodedRows {
  copyText: string;
  rejected: RejectedRow[];
  rejectedSkus: string[];
  /** Records read (accepted, rejected and skipped). */
  rows: number;
  /** Accepted rows whose active cell was empty (a platform's "not said"). */
  unspecifiedActive: number;
  /** What was read but left out of accepted rows (an image that is no URL), by line. */
  warnings: RowWarning[];
  notes: RowNotesPart;
  /** The decimal separator the file's numbers are read with, once chosen or shown by a value. */
  decimalSeparator: "." | "," | null;
  /** Children named by parent rows (Magento's configurable products): given their group and options once every row is staged. */
  assignments: VariantAssignment[];
}

/** Encoded rows as a row source hands them over: a worker's COPY text arrives as UTF-8 bytes (moved, not copied). */
export type RowsForCopy = Omit<EncodedRows, "copyText"> & { copyText: string | Uint8Array };

/** Something read but left out of an accepted row. */
export interface RowWarning {
  line: number;
  message: string;
}

export const emptyEncodedRows = (): EncodedRows => ({
  copyText: "",
  warnings: [],
  rejected: [],
  rejectedSkus: [],
  rows: 0,
  unspecifiedActive: 0,
  notes: emptyRowNotesPart(),
  decimalSeparator: null,
  assignments: [],
});

/**
 * Records → mapped, validated rows → COPY text, one batch at a time and in file order (a platform's
 * multi-row products carry values from row to row). Pure computation: it runs on the request
 * thread for a small file and in a worker thread for a large one, with identical results.
 */
export class RowEncoder {
  private readonly reader: RowReader;
  private readonly activeMapped: boolean;
  private readonly copyLine: ReturnType<typeof stagedRowCopy>["copyLine"];

  constructor(
    readonly columns: ResolvedColumns,
    private readonly keepRejectedSkus: boolean,
    decimalSeparator: DecimalSeparatorChoice = "auto",
    imageBase: string | null = null,
  ) {
    this.reader = new RowReader(columns, decimalSeparator, imageBase);
    this.activeMapped = columns.index.active !== null;
    this.copyLine = stagedRowCopy(columns.writes, columns.attributes.length > 0).copyLine;
  }

  static from(inputs: ColumnInputs): RowEncoder {
    return new RowEncoder(
      resolveColumns(
        inputs.header,
        inputs.choice,
        inputs.saved,
        inputs.emptyCells === "keep" ? inputs.fields.map((field) => ({ ...field, required: false })) : inputs.fields,
      ),
      inputs.keepRejectedSkus,
      inputs.choice.decimalSeparator,
      inputs.choice.imageBaseUrl ?? null,
    );
  }

  /** Adds `records` to `into` (so a caller can gather several batches into one message). */
  encode(records: SourceRecord[], into: EncodedRows = emptyEncodedRows()): EncodedRows {
    const lines: string[] = [];
    for (const { fields, line } of records) {
      into.rows += 1;
      const outcome = this.reader.read(fields, line);
      if ("rejected" in outcome) {
        into.rejected.push(outcome.rejected);
        if (this.keepRejectedSkus) {
          const sku = outcome.madeSku ?? this.reader.skuOf(fields);
          if (sku) into.rejectedSkus.push(sku);
        }
      } else if ("skipped" in outcome) {
        into.notes.skipped.push(outcome.skipped);
      } else if ("folded" in outcome) {
        into.notes.folded += 1;
        if (outcome.parent) into.notes.parents += 1;
        if (outcome.assignments) into.assignments.push(...outcome.assignments);
        if (outcome.warnings) for (const message of outcome.warnings) into.warnings.push({ line, message });
      } else if ("accepted" in outcome) {
        this.accept(outcome, line, into, lines);
      }
      if (this.reader.finished.length) this.takeFinished(into, lines);
    }
    into.copyText += lines.join("");
    into.decimalSeparator = this.reader.decimal.decided;
    return into;
  }

  /** After the file's last record: the rows still held for their product's images. */
  finish(into: EncodedRows = emptyEncodedRows()): EncodedRows {
    this.reader.finishGroup();
    const lines: string[] = [];
    this.takeFinished(into, lines);
    into.copyText += lines.join("");
    return into;
  }

  private accept(row: { accepted: StagedRow; warnings?: string[]; madeSku?: boolean }, line: number, into: EncodedRows, lines: string[]) {
    if (row.madeSku) noteMadeSku(into.notes, row.accepted.sku);
    if (this.activeMapped && row.accepted.active === null) into.unspecifiedActive += 1;
    if (row.warnings) for (const message of row.warnings) into.warnings.push({ line, message });
    lines.push(this.copyLine(row.accepted));
  }

  private takeFinished(into: EncodedRows, lines: string[]) {
    for (const group of this.reader.finished.splice(0)) {
      for (const row of group.rows) this.accept(row, row.accepted.line, into, lines);
      into.warnings.push(...group.warnings);
      into.notes.folded += group.folded ?? 0;
      into.notes.parents += group.folded ?? 0;
    }
  }
}
