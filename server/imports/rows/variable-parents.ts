import type { ResolvedColumns } from "../../mappings/resolve-columns.js";
import { withBlanksFrom, type RowValues } from "./validate-row.js";

/** What a variable parent gives its variations: the values they leave empty, and the group they share. */
interface Parent {
  group: string;
  name: string;
  description: string;
  commerce: string[];
}

/**
 * WooCommerce exports a variable product as a `variable` parent row and one `variation` row per
 * variant, naming its parent by SKU or as `id:<ID>`. The parent is not a product of its own: its
 * name, description, images, category, tags and brand fill what its variations leave empty, and its
 * SKU (or `id:<ID>` without one) is their group. Parents come before their variations in the
 * platform's own export (it lists products by ID); a variation whose parent is not among the rows
 * before it is imported on its own, with a warning.
 */
/**
 * What the parents kept for their variations may hold, at most (characters of their values). A
 * file of nothing but large parents cannot fill the worker's memory: the oldest are let go first,
 * and a variation of one let go is imported on its own, with a warning, as one before its parent.
 */
const KEPT_CHARACTERS = 32 * 1024 * 1024;

export class VariableParents {
  private readonly byKey = new Map<string, Parent & { size: number }>();
  private kept = 0;

  constructor(
    private readonly columns: NonNullable<ResolvedColumns["parents"]>,
    /** Which commerce cells a parent fills in when its variation's is empty. */
    private readonly inherited: boolean[],
  ) {}

  /** What the row is, from its type column (`variable`, `variation`, `simple, virtual`). */
  kindOf(cell: (at: number | null) => string): "parent" | "variation" | "product" {
    const types = cell(this.columns.type)
      .split(",")
      .map((type) => type.trim().toLowerCase());
    if (types.some((type) => this.columns.parentKinds.includes(type))) return "parent";
    if (types.some((type) => this.columns.childKinds.includes(type))) return "variation";
    return "product";
  }

  /** Keeps a parent's values for its variations (by `id:<ID>` and by SKU, in any case). */
  remember(cell: (at: number | null) => string, values: RowValues): void {
    const id = cell(this.columns.id).trim();
    const sku = values.sku.trim();
    let size = values.name.length + values.description.length;
    for (const cell of values.commerce) size += cell.length;
    const parent = { group: sku || `id:${id}`, name: values.name, description: values.description, commerce: values.commerce, size };
    for (const key of [id ? `id:${id}` : null, sku ? sku.toLowerCase() : null]) {
      if (key === null) continue;
      this.forget(key);
      this.byKey.set(key, parent);
      this.kept += size;
    }
    for (const [key, oldest] of this.byKey) {
      if (this.kept <= KEPT_CHARACTERS) break;
      this.byKey.delete(key);
      this.kept -= oldest.size;
    }
  }

  private forget(key: string): void {
    const known = this.byKey.get(key);
    if (!known) return;
    this.byKey.delete(key);
    this.kept -= known.size;
  }

  /** A variation's values with its parent's where it left them empty, and its group; a warning when its parent is not known. */
  fill(cell: (at: number | null) => string, values: RowValues): { values: RowValues; group: string | null; warning?: string } {
    const named = cell(this.columns.parent).trim();
    if (!named)
      return { values, group: null, warning: `this variation names no parent ("${this.columns.parentHeader}" is empty): imported on its own` };
    const parent = this.byKey.get(named.toLowerCase());
    const group = /^id:/i.test(named) ? null : named;
    if (!parent) {
      return { values, group, warning: `its parent "${named}" is not among the rows before it: imported on its own, without the parent's values` };
    }
    return { group: parent.group, values: withBlanksFrom(values, parent, this.inherited) };
  }
}
