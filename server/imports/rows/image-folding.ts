import { IMAGE_LIMITS } from "../../products/commerce-fields.schema.js";
import { readImages } from "../../products/variant-values.schema.js";
import type { StagedRow } from "../staging/staged-row.js";

/** An accepted row waiting for the rest of its product's rows, which may still add images. */
export interface HeldRow {
  accepted: StagedRow;
  warnings?: string[];
  madeSku?: boolean;
}

/** A product's rows once its last one is read: its variants with every image, and what was left out, by line. */
export interface FinishedGroup {
  rows: HeldRow[];
  warnings: { line: number; message: string }[];
  /** Held rows that turned out to go into others (a BigCommerce product row with variants). */
  folded?: number;
}

interface GroupImage {
  cell: string;
  position: number;
  line: number;
}

/**
 * A product's rows held at most: Shopify's own limit of variants per product. A file whose one
 * handle runs on past it (a damaged or hostile file) cannot fill the worker's memory: its further
 * rows are rejected. Image cells past a product's image limit several times over are not kept either.
 */
export const HELD_ROWS = 2_048;
const IMAGE_CELLS = IMAGE_LIMITS.count * 4;

/**
 * Shopify spreads a product's images over its rows, one per row, whether the row is a variant or
 * carries only the image, each with its position. The variants of a product are therefore held
 * until its last row is read, then each gets the variant's own image first and the product's
 * images after it, in position order (file order among equal ones), repeats dropped.
 */
export class ImageFolding {
  private images: GroupImage[] = [];
  private held: HeldRow[] = [];

  constructor(
    private readonly imageBase: string | null,
    private readonly label: string,
  ) {}

  /** An image cell of the current product's row. */
  addImage(cell: string, position: string, line: number): void {
    if (!cell.trim() || this.images.length >= IMAGE_CELLS) return;
    const at = Number.parseInt(position, 10);
    this.images.push({ cell, position: Number.isFinite(at) ? at : Number.POSITIVE_INFINITY, line });
  }

  /** Whether the current product has room for one more row. */
  get full(): boolean {
    return this.held.length >= HELD_ROWS;
  }

  hold(row: HeldRow): void {
    this.held.push(row);
  }

  /** The current product's rows with their images; it starts afresh. */
  finish(): FinishedGroup | null {
    if (!this.held.length && !this.images.length) return null;
    const warnings: FinishedGroup["warnings"] = [];
    const urls: string[] = [];
    const ordered = this.images.map((image, at) => ({ ...image, at })).sort((a, b) => a.position - b.position || a.at - b.at);
    for (const image of ordered) {
      const read = readImages([image.cell], this.imageBase, this.label);
      for (const message of read.warnings) warnings.push({ line: image.line, message });
      for (const url of read.value) if (!urls.includes(url)) urls.push(url);
    }
    if (urls.length > IMAGE_LIMITS.count) urls.length = IMAGE_LIMITS.count;
    const shared = urls.length ? urls : null;
    for (const row of this.held) {
      const own = row.accepted.images;
      if (!own?.length) {
        // One list for every variant without an image of its own: its COPY text is written once (db/copy-row.ts).
        row.accepted.images = shared;
        continue;
      }
      const images = [...own];
      for (const url of urls) if (!images.includes(url)) images.push(url);
      if (images.length > IMAGE_LIMITS.count) images.length = IMAGE_LIMITS.count;
      row.accepted.images = images;
    }
    const rows = this.held;
    this.images = [];
    this.held = [];
    return { rows, warnings };
  }
}
