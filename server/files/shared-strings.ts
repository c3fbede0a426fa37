import { MAX_SHARED_STRINGS, MAX_SHARED_TEXT_BYTES } from "./file-limits.js";
import { unusableFile } from "./unusable-file.js";

const PAGE_BYTES = 4 * 1024 * 1024;

/**
 * A workbook's shared strings, held as UTF-8 in pages outside the JavaScript heap: memory is the
 * text's own size, counted exactly against the caps, and no string keeps alive the XML it was cut
 * from (V8 slices would, and a table can be mostly markup).
 */
export class SharedStrings {
  private readonly pages: Buffer[] = [];
  private page: Buffer = Buffer.alloc(0);
  private used = 0;
  private held = 0;
  private count = 0;
  private pageOf = new Uint32Array(1024);
  private startOf = new Uint32Array(1024);
  private lengthOf = new Uint32Array(1024);

  get size(): number {
    return this.count;
  }

  add(text: string): void {
    const bytes = Buffer.byteLength(text);
    this.held += bytes;
    if (this.held > MAX_SHARED_TEXT_BYTES || this.count >= MAX_SHARED_STRINGS) {
      throw unusableFile(
        `The workbook's shared text is larger than ${MAX_SHARED_TEXT_BYTES / 1024 / 1024} MB or ${MAX_SHARED_STRINGS / 1024 / 1024} M texts, more than a workbook made by Excel or a shop's export holds. Save the sheet as CSV, or split it.`,
      );
    }
    if (this.used + bytes > this.page.length) {
      this.page = Buffer.allocUnsafe(Math.max(PAGE_BYTES, bytes));
      this.pages.push(this.page);
      this.used = 0;
    }
    if (this.count === this.pageOf.length) this.grow();
    this.page.write(text, this.used, "utf8");
    this.pageOf[this.count] = this.pages.length - 1;
    this.startOf[this.count] = this.used;
    this.lengthOf[this.count] = bytes;
    this.used += bytes;
    this.count += 1;
  }

  /** The text at `index`, or "" for an index the table does not have. */
  get(index: number): string {
    if (!(index >= 0 && index < this.count)) return "";
    const start = this.startOf[index]!;
    return this.pages[this.pageOf[index]!]!.toString("utf8", start, start + this.lengthOf[index]!);
  }

  private grow(): void {
    const larger = (from: Uint32Array) => {
      const to = new Uint32Array(from.length * 2);
      to.set(from);
      return to;
    };
    this.pageOf = larger(this.pageOf);
    this.startOf = larger(this.startOf);
    this.lengthOf = larger(this.lengthOf);
  }
}
