import { normalizeHeaderName } from "./header-name.js";

/**
 * A file's header with each name normalised once, and its columns grouped by the name as compared.
 * Every question the matching asks (where is this column, is it named twice, does the header have
 * these names) is then a Map probe: a header 16,384 columns wide resolves as fast as one of ten.
 */
export class HeaderColumns {
  /** Each column's name as compared, in the header's order. */
  readonly normalized: readonly string[];
  /** Name as compared → the columns under it, in the header's order. */
  private readonly byName = new Map<string, number[]>();
  /** The lookups made so far: a profile asks for the same few columns on every row. */
  private readonly found = new Map<string, number>();

  constructor(readonly header: readonly string[]) {
    this.normalized = header.map(normalizeHeaderName);
    this.normalized.forEach((name, index) => {
      const columns = this.byName.get(name);
      if (columns) columns.push(index);
      else this.byName.set(name, [index]);
    });
  }

  static of(header: HeaderColumns | readonly string[]): HeaderColumns {
    return header instanceof HeaderColumns ? header : new HeaderColumns(header);
  }

  /** The column under `name`: exactly so, else the first whose name differs only in case and spacing; -1 when none. */
  indexOf(name: string): number {
    let index = this.found.get(name);
    if (index === undefined) {
      const columns = this.byName.get(normalizeHeaderName(name)) ?? [];
      index = columns.find((column) => this.header[column] === name) ?? columns[0] ?? -1;
      this.found.set(name, index);
    }
    return index;
  }

  /** Whether a column has this name, compared normalised. */
  has(name: string): boolean {
    return this.byName.has(normalizeHeaderName(name));
  }

  /** The columns whose name, normalised, is `normalizedName`. */
  named(normalizedName: string): readonly number[] {
    return this.byName.get(normalizedName) ?? [];
  }

  /** Whether another column has the same name as column `index`, compared normalised. */
  isNamedTwice(index: number): boolean {
    return this.named(this.normalized[index]!).length > 1;
  }
}
