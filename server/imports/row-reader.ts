import { withoutFormulaMark } from "../files/formula-cells.js";
import { normalizeSku } from "../products/product-rules.js";
import type { ResolvedColumns } from "../mappings/resolve-columns.js";
import { rejection, validateRow, type AcceptedRow, type RejectedRow, type RowValues } from "./csv-row.js";

/** The fields a product's first row gives the rows after it (Shopify's variant rows leave them blank). */
interface Group {
  key: string;
  name: string;
  description: string;
  active: string | null;
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

  constructor(private readonly columns: ResolvedColumns) {
    this.width = columns.header.length;
    ({ sku: this.sku, name: this.name, description: this.description, active: this.active } = columns.index);
    this.shaped = Boolean(columns.profile || columns.groupBy !== null || columns.rowKind);
  }

  /** The SKU a record names, even one rejected (a sync keeps that product). */
  skuOf(fields: string[]): string {
    const cell = fields[this.sku];
    return cell === undefined ? "" : normalizeSku(withoutFormulaMark(cell));
  }

  read(fields: string[], line: number): { accepted: AcceptedRow } | { rejected: RejectedRow } {
    if (fields.length !== this.width) return rejection(line, `expected ${this.width} fields but found ${fields.length}`, fields);
    const values: RowValues = {
      sku: withoutFormulaMark(fields[this.sku]!),
      name: withoutFormulaMark(fields[this.name]!),
      description: this.description === null ? "" : withoutFormulaMark(fields[this.description]!),
      active: this.active === null ? null : withoutFormulaMark(fields[this.active]!),
    };
    if (!this.shaped) return validateRow(values, this.columns, line, fields);
    const { profile, columnOf } = this.columns;
    if (profile?.rejectRow) {
      const reason = profile.rejectRow((name) => {
        const at = columnOf(name);
        return at === null ? "" : withoutFormulaMark(fields[at]!);
      });
      if (reason) return rejection(line, `skipped: ${reason}`, fields);
    }
    if (profile?.description) values.description = profile.description(values.description);
    const carried = this.carry(fields, values, line);
    if ("rejected" in carried) return carried;
    return validateRow(carried.values, this.columns, line, fields);
  }

  /** Blank fields of a product's later rows, from its first row. */
  private carry(fields: string[], values: RowValues, line: number): { values: RowValues } | { rejected: RejectedRow } {
    const { groupBy, rowKind, labels } = this.columns;
    if (rowKind) {
      const kind = rowKind.kinds[fields[rowKind.index]!.trim().toLowerCase()];
      if (kind && typeof kind === "object") return rejection(line, `skipped: ${kind.reject}`, fields);
      if (kind === "product") this.group = { key: String(line), name: values.name, description: values.description, active: values.active };
      if (kind !== "variant") return { values };
      const named =
        this.group && rowKind.variantName && values.name.trim() ? { ...values, name: rowKind.variantName(this.group.name, values.name) } : values;
      return { values: this.fromGroup(named) };
    }
    if (groupBy === null) return { values };
    const key = fields[groupBy]!.trim();
    if (!key || this.group?.key !== key) {
      this.group = { key, name: values.name, description: values.description, active: values.active };
    } else {
      values = this.fromGroup(values);
    }
    if (!values.sku.trim() && key) {
      return rejection(
        line,
        `${labels.sku} is empty: this row of "${key}" holds no variant (an image or an option only), so there is nothing to import`,
        fields,
      );
    }
    return { values };
  }

  private fromGroup(values: RowValues): RowValues {
    const group = this.group;
    if (!group) return values;
    return {
      sku: values.sku,
      name: values.name.trim() ? values.name : group.name,
      description: values.description.trim() ? values.description : group.description,
      active: values.active !== null && values.active.trim() ? values.active : group.active,
    };
  }
}
