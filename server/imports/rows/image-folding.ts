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
}

interface GroupImage {
  cell: string;
  position: number;
  line: number;
}

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
    if (!cell.trim()) return;
    const at = Number.parseInt(position, 10);
    this.images.push({ cell, position: Number.isFinite(at) ? at : Number.POSITIVE_INFINITY, line });
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
    const rows = this.held.map((row) => {
      const images = [...(row.accepted.images ?? [])];
      for (const url of urls) if (!images.includes(url)) images.push(url);
      if (images.length > IMAGE_LIMITS.count) images.length = IMAGE_LIMITS.count;
      return { ...row, accepted: { ...row.accepted, images: images.length ? images : null } };
    });
    this.images = [];
    this.held = [];
    return { rows, warnings };
  }
}
