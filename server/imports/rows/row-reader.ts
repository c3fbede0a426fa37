import { withoutFormulaMark } from "../../files/formula-cells.js";
import { normalizeSku } from "../../products/product-rules.schema.js";
import { IMAGE_ROW } from "../../mappings/profiles.js";
import type { MadeSkuIndexes, ResolvedColumns } from "../../mappings/resolve-columns.js";
import { rejection, validateRow, withBlanksFrom, type RejectedRow, type RowReading, type RowValues } from "./validate-row.js";
import type { SkippedRow } from "../row-notes.js";
import { madeSku } from "./made-sku.js";
import { HELD_ROWS, ImageFolding, type FinishedGroup } from "./image-folding.js";
import { VariableParents } from "./variable-parents.js";
import type { StagedRow, VariantAssignment } from "../staging/staged-row.js";
import { COMMERCE_FIELD_SPECS } from "../../products/commerce-fields.schema.js";
import { DecimalSeparator } from "../../products/commerce-values.schema.js";
import type { DecimalSeparatorChoice } from "../../products/commerce-fields.schema.js";

/** The fields a product's first row gives the rows after it (Shopify's variant rows leave them blank). */
interface Group {
  key: string;
  name: string;
  description: string;
  active: string | null;
  commerce: string[];
  /** Its options' names, from its first row: its later rows may leave them blank. */
  optionNames: string[];
  /** The line of its first row, for a later row whose option names disagree. */
  line: number;
  /** The SKUs made for its variants so far: two whose option values read alike still get one each. */
  made: Set<string>;
  /** Its further image cells (BigCommerce's `Product Image URL - 2`…), for variants that have none of their own. */
  images?: RowValues["images"];
}

/** What one record of the file became. `madeSku`: its SKU was made from its handle (it had none). */
export type RowOutcome =
  | { accepted: StagedRow; warnings?: string[]; madeSku?: boolean }
  | { rejected: RejectedRow; madeSku?: string }
  | { skipped: SkippedRow }
  /** Its values went into other rows (an image-only row's image; a parent's group and options, `assignments`). */
  | { folded: true; parent?: true; assignments?: VariantAssignment[]; warnings?: string[] }
  /** Accepted, and held until its product's last row is read (`finished` then has it). */
  | { held: true };

const skip = (line: number, reason: string) => ({ skipped: { line, reason } });
/** A file without commerce columns: one empty list for every row, not a new one each. */
const NO_CELLS: string[] = [];

/** The cells at `indexes`, formula marks off. */
function cellsAt(fields: string[], indexes: number[]): string[] {
  if (indexes.length === 0) return NO_CELLS;
  const cells: string[] = new Array(indexes.length);
  for (let at = 0; at < indexes.length; at += 1) cells[at] = withoutFormulaMark(fields[indexes[at]!]!);
  return cells;
}

/**
 * One record of the file → one row of the catalog: the mapped columns' values (formula marks off),
 * what a platform's multi-row product carries over from its first row, and the import rules.
 * Keeps the current product group between calls: feed it the records in file order.
 */
export class RowReader {
  private group: Group | null = null;
  private readonly width: number;
  private readonly sku: number;
  private readonly name: number;
  private readonly description: number | null;
  private readonly active: number | null;
  /** Whether a platform profile shapes rows (skips, carry-over, escaped descriptions): the plain path stays lean. */
  private readonly shaped: boolean;
  /** The file's decimal separator, once chosen or shown by a value: one for the whole file. */
  readonly decimal: DecimalSeparator;
  /** Which commerce cells a product's later rows take from its first row when blank (brand, category, tags). */
  private readonly sharedCommerce: boolean[];
  /** Where the commerce fields' and the custom fields' cells are, in the order the rules read them. */
  private readonly commerceAt: number[];
  private readonly attributesAt: number[];
  private readonly reading: RowReading;
  /** A platform that spreads a product's images over its rows: where its images go until the product ends. */
  private readonly folding: ImageFolding | null;
  /** The images column's place among the commerce cells, and in the row. */
  private readonly imagesAt: { commerce: number; index: number } | null;
  /** Products whose last row has been read, with their held rows: taken by the caller after each read. */
  readonly finished: FinishedGroup[] = [];
  /** A platform's variable parents (WooCommerce), kept for the variations after them. */
  private readonly parents: VariableParents | null;
  /**
   * A product row of a platform that writes its variants as rows under it (BigCommerce), accepted and
   * held until the next row says whether it has variants: then its values are theirs and it is no
   * product of its own (folded), else it is one. Not held for a preview, which shows each row as read.
   */
  private base: FinishedGroup["rows"][number] | null = null;
  private readonly holdsBases: boolean;
  /** Which commerce cells a variant takes from its parent row (WooCommerce's variable, BigCommerce's product row) when empty: the shared ones and its images. */
  private readonly fromParentRow: boolean[];

  constructor(
    private readonly columns: ResolvedColumns,
    decimalSeparator: DecimalSeparatorChoice = "auto",
    imageBase: string | null = null,
    /** Off for a preview, which shows each row as it reads (an image row as one). */
    foldImages = true,
  ) {
    this.width = columns.header.length;
    this.decimal = DecimalSeparator.of(decimalSeparator);
    this.reading = { decimal: this.decimal, imageBase };
    const imagesCommerce = columns.commerce.findIndex(({ field }) => field === "images");
    this.imagesAt = imagesCommerce === -1 ? null : { commerce: imagesCommerce, index: columns.commerce[imagesCommerce]!.index };
    this.folding = foldImages && columns.imageFolding && this.imagesAt ? new ImageFolding(imageBase, columns.labels.images) : null;
    this.sharedCommerce = columns.commerce.map(({ field }) => "shared" in COMMERCE_FIELD_SPECS[field]);
    this.commerceAt = columns.commerce.map(({ index }) => index);
    this.attributesAt = columns.attributes.map(({ index }) => index);
    ({ sku: this.sku, name: this.name, description: this.description, active: this.active } = columns.index);
    this.shaped = Boolean(columns.profile || columns.groupBy !== null || columns.rowKind);
    this.holdsBases = foldImages && columns.rowKind?.variantOptions != null;
    this.fromParentRow = columns.commerce.map(({ field }) => field === "images" || "shared" in COMMERCE_FIELD_SPECS[field]);
    this.parents = columns.parents ? new VariableParents(columns.parents, this.fromParentRow) : null;
  }

  /** The SKU a record names, even one rejected (a sync keeps that product). */
  skuOf(fields: string[]): string {
    const cell = fields[this.sku];
    return cell === undefined ? "" : normalizeSku(withoutFormulaMark(cell));
  }

  read(fields: string[], line: number): RowOutcome {
    if (fields.length !== this.width) return rejection(line, `expected ${this.width} fields but found ${fields.length}`, fields);
    const values: RowValues = {
      sku: withoutFormulaMark(fields[this.sku]!),
      name: withoutFormulaMark(fields[this.name]!),
      description: this.description === null ? "" : withoutFormulaMark(fields[this.description]!),
      active: this.active === null ? null : withoutFormulaMark(fields[this.active]!),
      commerce: cellsAt(fields, this.commerceAt),
      sale: this.columns.salePrice === null ? null : withoutFormulaMark(fields[this.columns.salePrice]!),
      attributes: cellsAt(fields, this.attributesAt),
      options: this.columns.options.length ? optionCells(fields, this.columns.options) : NO_OPTIONS,
    };
    if (!this.shaped) return validateRow(values, this.columns, this.reading, line, fields);
    if (this.columns.moreImages.length) values.images = { first: [], after: cellsAt(fields, this.columns.moreImages) };
    const { profile, columnOf } = this.columns;
    if (profile?.skipRow) {
      const reason = profile.skipRow((name) => {
        const at = columnOf(name);
        return at === null ? "" : withoutFormulaMark(fields[at]!);
      });
      if (reason) return skip(line, reason);
    }
    if (profile?.description) values.description = profile.description(values.description);
    if (this.parents) return this.readWithParents(this.parents, fields, values, line);
    if (this.columns.configurable) {
      const parent = readConfigurable(this.columns.configurable, (at) => this.cell(fields, at), values);
      if (parent) return parent;
    }
    const carried = this.carry(fields, values, line);
    if (!("values" in carried)) return carried;
    if (this.folding) carried.values.commerce[this.imagesAt!.commerce] = this.cell(fields, this.columns.imageFolding!.variant);
    const outcome = validateRow(carried.values, this.columns, this.reading, line, fields);
    // A row the grouping leaves out has no group: not set, it is staged as NULL.
    if ("accepted" in outcome && carried.group !== undefined) outcome.accepted.product_group ??= carried.group;
    if (carried.productRow && this.holdsBases && "accepted" in outcome) {
      this.base = outcome;
      return { held: true };
    }
    if (this.folding && "accepted" in outcome) {
      if (this.folding.full)
        return rejection(line, `"${this.group!.key}" has more than ${HELD_ROWS} variants; a product can have at most that many`, fields);
      this.folding.hold({ ...outcome, ...(carried.madeSku ? { madeSku: true } : {}) });
      return { held: true };
    }
    if (!carried.madeSku) return outcome;
    if ("accepted" in outcome) return { ...outcome, madeSku: true };
    // Said, since the row had no SKU of its own; and kept, so that a sync keeps the product it names.
    const { sku } = carried.values;
    const rejected = { ...outcome.rejected, message: `${outcome.rejected.message} (its SKU "${sku}" was made from its handle and options)` };
    return { rejected, madeSku: normalizeSku(sku) };
  }

  /** A variable parent is kept for its variations (its values go into theirs); a variation takes them; options are a variation's alone. */
  private readWithParents(parents: VariableParents, fields: string[], values: RowValues, line: number): RowOutcome {
    const cell = (at: number | null) => this.cell(fields, at);
    const kind = parents.kindOf(cell);
    if (kind === "parent") {
      parents.remember(cell, values);
      return { folded: true, parent: true };
    }
    let group: string | null = null;
    let warning: string | undefined;
    // A simple product's attributes describe it (often as lists): they are no variant's options.
    if (kind === "product") values.options = values.options.map(() => ["", ""]);
    else ({ values, group, warning } = parents.fill(cell, values));
    const outcome = validateRow(values, this.columns, this.reading, line, fields);
    if (!("accepted" in outcome)) return outcome;
    outcome.accepted.product_group ??= group;
    return warning ? { ...outcome, warnings: [...(outcome.warnings ?? []), warning] } : outcome;
  }

  /** Blank fields of a product's later rows, from its first row; a SKU made from its handle when it has none. */
  private carry(
    fields: string[],
    values: RowValues,
    line: number,
  ): { values: RowValues; madeSku?: boolean; group?: string; productRow?: true } | Exclude<RowOutcome, { accepted: StagedRow }> {
    const { groupBy, rowKind, labels, madeSkus } = this.columns;
    if (rowKind) return this.carryKind(rowKind, fields, values, line);
    if (groupBy === null) return { values };
    const key = fields[groupBy]!.trim();
    const starts = !key || this.group?.key !== key;
    if (starts) this.finishGroup();
    if (this.folding) this.folding.addImage(this.cell(fields, this.imagesAt!.index), this.cell(fields, this.columns.imageFolding!.position), line);
    if (starts) this.group = this.newGroup(key, values, line);
    else {
      const disagreeing = this.optionNamesDisagree(values);
      if (disagreeing) return rejection(line, disagreeing, fields);
      values = this.fromGroup(values);
    }
    if (values.sku.trim() && !madeSkus?.skuIsGroupKey) return { values };
    // Mapped to the handle (sku ← Handle, perhaps a mapping saved for an export without SKUs): a variant's own SKU still wins.
    const own = madeSkus?.ownSku == null ? "" : withoutFormulaMark(fields[madeSkus.ownSku]!);
    if (own.trim()) return { values: { ...values, sku: own } };
    const handle = `the handle ("${this.columns.header[groupBy]}")`;
    if (!key) return rejection(line, `${labels.sku} is empty and so is ${handle}: a row needs its own SKU or its product's handle`, fields, "sku");
    if (!madeSkus) return rejection(line, `${labels.sku} is empty: this row of "${key}" has no SKU of its own`, fields, "sku");
    return this.makeSku(fields, values, line, madeSkus);
  }

  /**
   * A row of a platform that says what each row is (BigCommerce's `Item`): a product row starts a
   * product, whose SKU (or name) is its variants' group; a variant row takes the blanks from it and
   * reads its options from its one cell; other kinds are skipped, saying why.
   */
  private carryKind(
    rowKind: NonNullable<ResolvedColumns["rowKind"]>,
    fields: string[],
    values: RowValues,
    line: number,
  ): { values: RowValues; group?: string; productRow?: true } | Exclude<RowOutcome, { accepted: StagedRow }> {
    const kind = rowKind.kinds[fields[rowKind.index]!.trim().toLowerCase()];
    if (kind && typeof kind === "object") return skip(line, kind.skip);
    if (kind !== "variant") {
      this.finishGroup();
      const shared = rowKind.variantOptions ? { ...values, options: values.options.map((): [string, string] => ["", ""]) } : values;
      this.group = kind === "product" ? { ...this.newGroup(values.sku.trim() || values.name.trim(), shared, line), images: values.images } : null;
      return kind === "product" ? { values: shared, productRow: true } : { values: shared };
    }
    const group = this.group;
    if (!group) return { values };
    this.foldBase();
    const named = rowKind.variantName && values.name.trim() ? { ...values, name: rowKind.variantName(group.name, values.name) } : values;
    const filled: RowValues = { ...withBlanksFrom(named, group, this.fromParentRow), active: values.active?.trim() ? values.active : group.active };
    if (this.imagesAt && !values.commerce[this.imagesAt.commerce]!.trim() && !values.images?.after.some((cell) => cell.trim()))
      filled.images = group.images;
    if (!rowKind.variantOptions) return { values: filled };
    const options = rowKind.variantOptions.read(withoutFormulaMark(fields[rowKind.variantOptions.index]!));
    // Padded to the three an option has room for; a fourth stays, for the rules to refuse.
    filled.options = [...options, ...values.options.slice(options.length)];
    return { values: filled, group: group.key };
  }

  /** The held product row has a variant after it: its values went into its variants, and it is no product of its own. */
  private foldBase(): void {
    const base = this.base;
    if (!base) return;
    this.base = null;
    this.finished.push({ rows: [], warnings: (base.warnings ?? []).map((message) => ({ line: base.accepted.line, message })), folded: 1 });
  }

  /** A variant's SKU from its handle and option values; an image row is skipped; a row with neither is rejected, saying so. */
  private makeSku(fields: string[], values: RowValues, line: number, columns: MadeSkuIndexes) {
    const group = this.group!;
    const filled = (at: number) => withoutFormulaMark(fields[at]!).trim() !== "";
    if (!columns.optionValues.some(filled) && !columns.variantColumns.some(filled)) {
      if (columns.imageColumns.some(filled)) return this.folding ? { folded: true as const } : skip(line, IMAGE_ROW);
      const looked = [...(columns.skuIsGroupKey ? [] : [this.sku]), ...columns.optionValues.slice(0, 1), ...columns.variantColumns.slice(0, 1)];
      const named = looked.map((at) => `"${this.columns.header[at]}"`).join(", ");
      return rejection(line, `this row of "${group.key}" is neither a variant nor an image: ${named} and the image are all empty`, fields);
    }
    const sku = madeSku(
      group.key,
      columns.optionValues.map((at) => withoutFormulaMark(fields[at]!)),
      group.made,
    );
    return { values: { ...values, sku }, madeSku: true };
  }

  /** The cell at `at`, formula mark off; "" where the file has no such column. */
  private cell(fields: string[], at: number | null): string {
    return at === null ? "" : withoutFormulaMark(fields[at]!);
  }

  /** The current product has had its last row: its held rows, with their images, become `finished` (a product row without variants, a product). */
  finishGroup(): void {
    const done = this.folding?.finish();
    if (done) this.finished.push(done);
    if (this.base) this.finished.push({ rows: [this.base], warnings: [] });
    this.base = null;
  }

  private newGroup(key: string, values: RowValues, line: number): Group {
    return {
      key,
      name: values.name,
      description: values.description,
      active: values.active,
      commerce: values.commerce,
      optionNames: values.options.map(([name]) => name.trim()),
      line,
      made: new Set(),
    };
  }

  /** A later row of a product naming an option otherwise than its first row: which, and how. */
  private optionNamesDisagree(values: RowValues): string | null {
    const group = this.group!;
    for (const [at, [name]] of values.options.entries()) {
      const first = group.optionNames[at]!;
      if (name.trim() && first && name.trim().toLowerCase() !== first.toLowerCase()) {
        return `option ${at + 1} is named "${name.trim()}" here but "${first}" on the first row of "${group.key}" (line ${group.line}); a product's variants share their option names`;
      }
    }
    return null;
  }

  private fromGroup(values: RowValues): RowValues {
    const group = this.group;
    if (!group) return values;
    return {
      ...withBlanksFrom(values, group, this.sharedCommerce),
      active: values.active !== null && values.active.trim() ? values.active : group.active,
      options: values.options.map(([name, value], at) => [name.trim() ? name : group.optionNames[at]!, value]),
    };
  }
}

/** A product has room for this many options. */
const OPTION_ROOM = 3;

/**
 * A configurable parent (Magento): not a product of its own; each child it names gets its SKU as
 * group and its option values, labelled by `configurable_variation_labels` (by the attribute code
 * without one). Null for any other row, and for a parent naming no children (a product then).
 */
function readConfigurable(
  columns: NonNullable<ResolvedColumns["configurable"]>,
  cell: (at: number | null) => string,
  values: RowValues,
): RowOutcome | null {
  const types = cell(columns.type)
    .split(",")
    .map((type) => type.trim().toLowerCase());
  const variations = cell(columns.variations).trim();
  if (!types.some((type) => columns.kinds.includes(type)) || !variations) return null;
  const labels = new Map(pairsOf(cell(columns.labels)));
  const group = normalizeSku(values.sku) || values.name.trim();
  const warnings: string[] = [];
  const assignments: VariantAssignment[] = [];
  for (const entry of variations.split("|")) {
    const pairs = pairsOf(entry);
    const sku = normalizeSku(pairs.find(([key]) => key === "sku")?.[1] ?? "");
    if (!sku) continue;
    const options = pairs.filter(([key]) => key !== "sku").map(([code, value]) => ({ name: labels.get(code) || code, value }));
    if (options.length > OPTION_ROOM)
      warnings.push(`variation "${sku}" has ${options.length} options; a product has room for ${OPTION_ROOM}: the first ${OPTION_ROOM} were kept`);
    assignments.push([sku, group, JSON.stringify(options.slice(0, OPTION_ROOM))]);
  }
  return { folded: true, parent: true, assignments, ...(warnings.length ? { warnings } : {}) };
}

/** `code=Label,code=Label` (or `sku=X,size=M`) as pairs, in order. */
const pairsOf = (text: string): [string, string][] =>
  text
    .split(",")
    .map((pair) => pair.split("=").map((part) => part.trim()))
    .filter((parts): parts is [string, string] => parts.length === 2 && parts[0] !== "")
    .map(([key, value]) => [key.toLowerCase() === "sku" ? "sku" : key, value]);

/** A file without option columns: one empty list for every row. */
const NO_OPTIONS: [string, string][] = [];

/** Each option's name and value cells, formula marks off ("" for a column the file lacks). */
function optionCells(fields: string[], options: ResolvedColumns["options"]): [string, string][] {
  const cell = (at: number | null) => (at === null ? "" : withoutFormulaMark(fields[at]!));
  return options.map((option) => [cell(option.name), cell(option.value)]);
}
