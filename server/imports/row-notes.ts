import type { RowNotes, SkippedReason } from "../../db/schema.js";
import { countWords } from "../count-words.js";

/** A row the file's platform writes that is not a product, and why it was left out. */
export interface SkippedRow {
  line: number;
  reason: string;
}

/** What reading one stretch of the file is worth saying once (it crosses from a worker thread). */
export interface RowNotesPart {
  skipped: SkippedRow[];
  /** Rows whose values went into other rows (a Shopify image-only row, a WooCommerce variable parent). */
  folded: number;
  /** Of those, parent products (a variable, configurable or BigCommerce product row): not image rows. */
  parents: number;
  /** Variants that had no SKU of their own and got one made from their handle. */
  madeSkus: number;
  madeSkuExamples: string[];
}

/** Enough to find them in the file; the count says how many there were. */
const LINES_PER_REASON = 10;
const SKU_EXAMPLES = 3;
/** Store codes and row kinds: a handful in any real file. Past this, further reasons share one line. */
const REASONS_KEPT = 20;
const OTHER_REASONS = "other rows that are not products";

export const emptyRowNotesPart = (): RowNotesPart => ({ skipped: [], folded: 0, parents: 0, madeSkus: 0, madeSkuExamples: [] });

/** Adds a made SKU to a part, keeping a few examples to show. */
export function noteMadeSku(part: RowNotesPart, sku: string): void {
  part.madeSkus += 1;
  if (part.madeSkuExamples.length < SKU_EXAMPLES) part.madeSkuExamples.push(sku);
}

/** The parts of a file, gathered in file order into what the import keeps. */
export class RowNotesTally {
  skippedRows = 0;
  foldedRows = 0;
  private parents = 0;
  private readonly reasons = new Map<string, SkippedReason>();
  private madeSkus = 0;
  private readonly examples: string[] = [];

  add(part: RowNotesPart): void {
    this.skippedRows += part.skipped.length;
    this.foldedRows += part.folded;
    this.parents += part.parents;
    for (const { line, reason } of part.skipped) {
      const kept = this.reasons.has(reason) || this.reasons.size < REASONS_KEPT ? reason : OTHER_REASONS;
      let entry = this.reasons.get(kept);
      if (!entry) this.reasons.set(kept, (entry = { reason: kept, count: 0, lines: [] }));
      entry.count += 1;
      if (entry.lines.length < LINES_PER_REASON) entry.lines.push(line);
    }
    this.madeSkus += part.madeSkus;
    for (const sku of part.madeSkuExamples) if (this.examples.length < SKU_EXAMPLES && !this.examples.includes(sku)) this.examples.push(sku);
  }

  notes(): RowNotes | null {
    if (!this.reasons.size && !this.madeSkus && !this.parents) return null;
    return {
      skipped: [...this.reasons.values()],
      madeSkus: this.madeSkus ? { count: this.madeSkus, examples: this.examples } : null,
      ...(this.parents ? { parents: this.parents } : {}),
    };
  }
}

/** What the import says once, in words, about how its rows were read (`folded`: rows that went into other rows). */
export function describeRowNotes(notes: RowNotes | null, folded = 0): string[] {
  const said: string[] = [];
  const parents = notes?.parents ?? 0;
  const images = folded - parents;
  const foldedNotice = () => [
    ...(images > 0
      ? [
          `${countWords(images, "row only adds", "rows only add")} an image to ${images === 1 ? "its" : "their"} product: ` +
            `${images === 1 ? "it went" : "they went"} into the images of the product's variants, in the file's image positions.`,
        ]
      : []),
    ...(parents > 0
      ? [
          `${countWords(parents, "row is a parent product", "rows are parent products")} (variable, configurable, or a product row above ` +
            `its variants): ${parents === 1 ? "its" : "their"} values and SKU, as the group, went to ${parents === 1 ? "its" : "their"} variants, which are the products.`,
        ]
      : []),
  ];
  if (!notes) return foldedNotice();
  if (notes.madeSkus) {
    const { count: made, examples } = notes.madeSkus;
    said.push(
      `SKUs were made from handles: ${countWords(made, "variant had", "variants had")} no SKU of ${made === 1 ? "its" : "their"} own, so ` +
        `${made === 1 ? "it" : "each"} got its product's handle, followed by its option values when the product has several ` +
        `(${examples.join(", ")}${made > examples.length ? ", …" : ""}). Importing the same file again updates the same products.`,
    );
  }
  for (const { reason, count: rows, lines } of notes.skipped) {
    const where = `line${lines.length === 1 ? "" : "s"} ${lines.join(", ")}${rows > lines.length ? ", …" : ""}`;
    said.push(`${countWords(rows, "row", "rows")} skipped: ${reason}; ${where}.`);
  }
  return [...said, ...foldedNotice()];
}
