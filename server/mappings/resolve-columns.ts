import { ACTIVE_SPELLINGS, parseActive } from "../products/product-rules.schema.js";
import { Refusal } from "../refusal.js";
import { HeaderColumns } from "./header-columns.js";
import { matchHeaderNames } from "./header-matching.js";
import {
  COMMERCE_FIELD_SPECS,
  COMMERCE_FIELDS,
  MAPPED_COMMERCE_FIELDS,
  OPTION_TARGETS,
  type CommerceField,
  type DecimalSeparatorChoice,
  type MappedCommerceField,
} from "../products/commerce-fields.schema.js";
import type { WeightUnit } from "../products/commerce-values.schema.js";
import { detectProfile, PROFILES, shapeOf, type ActiveValues, type CategoryPaths, type Profile, type ProfileShape } from "./profiles.js";
import { weightUnitOf } from "./weight-unit.js";
import { normalizeHeaderName } from "./header-name.js";
import { REQUIRED_FIELDS, TARGET_FIELDS, attributeTarget, type ColumnMapping, type ProfileId, type TargetField } from "./mapping.schema.js";
import type { FieldDefinition } from "../products/custom-fields/field-values.schema.js";
import { attributeTargets, matchFieldColumns, type AttributeColumn } from "./attribute-columns.js";

/** Where a mapping came from, in the order they are tried when the upload names none. */
export type MappingSource = "chosen" | "saved" | "profile" | "names";

/** A mapping remembered for a header (mappings.table.ts). */
export interface SavedMapping {
  mapping: ColumnMapping;
  profile: ProfileId | null;
}

/** What the person uploading chose, if anything. */
export interface MappingChoice {
  mapping?: ColumnMapping;
  profile?: ProfileId;
  /** How the file writes a decimal point (`auto`, the default, decides from its values). */
  decimalSeparator?: DecimalSeparatorChoice;
  /** What relative image paths are appended to (the upload option `imageBaseUrl`). */
  imageBaseUrl?: string;
}

/** Today's words, for files of no platform. */
const GENERIC_ACTIVE: ActiveValues = { words: {}, empty: null, spellings: ACTIVE_SPELLINGS };

/** A commerce field the file maps: its column, and what its header says about reading it. */
export interface CommerceColumn {
  field: MappedCommerceField;
  index: number;
  /** A weight column's unit, from its header. */
  weightUnit: WeightUnit;
  /** How a platform writes category paths (a generic file: segments separated by `>`). */
  categories: CategoryPaths | null;
  /** Whether its values are text (kept as written, so a NUL or undecodable byte is named), not numbers. */
  isText: boolean;
}

/** The file's columns as the import reads them. */
export interface ResolvedColumns {
  header: string[];
  /** The field's column index; description and active may have none. */
  index: { sku: number; name: number; description: number | null; active: number | null };
  /** How a field is named in a row's message: `sku`, or `sku ("Variant SKU")` when the column is named otherwise. */
  labels: Record<TargetField, string>;
  mapping: ColumnMapping;
  source: MappingSource;
  profile: Profile | null;
  shape: ProfileShape | null;
  /** `true` / `false`, or null for "not said" (an empty cell of a platform export); undefined when unreadable. */
  readActive: (raw: string) => boolean | null | undefined;
  activeSpellings: string;
  /** Columns that tie several rows to one product (a platform's groups), when the profile has them. */
  groupBy: number | null;
  rowKind: {
    index: number;
    kinds: NonNullable<ProfileShape["rowKind"]>["kinds"];
    variantName?: ProfileShape["variantName"];
    /** Where a variant row's options are written, and how they are read. */
    variantOptions: { index: number; read: NonNullable<ProfileShape["variantOptions"]>["read"] } | null;
  } | null;
  /** Where a variant without a SKU finds what its SKU is made of (the profile's `madeSkus`, as column indexes). */
  madeSkus: MadeSkuIndexes | null;
  /** The column under a name (a profile's `skipRow` asks by name on every row): found as a mapping's columns are, or null. */
  columnOf: (name: string) => number | null;
  /** The commerce fields the file maps, in COMMERCE_FIELDS order. */
  commerce: CommerceColumn[];
  /** The platform's sale price column (profiles.ts's `salePrice`), when the file has it and maps a price. */
  salePrice: number | null;
  /** Each option's name and value columns (null where the file has none), when the file maps any option value. */
  options: { name: number | null; value: number | null }[];
  /** The commerce fields the rows write: the mapped ones, options when an option is, and the compare-at price a sale price column moves the price to. */
  writes: CommerceField[];
  /** The team's own fields the file maps, in the fields' order. */
  attributes: AttributeColumn[];
  /**
   * A platform whose image rows fold into their product (Shopify): every row's image, ordered by
   * its position column, goes to each variant, after the variant's own image column's.
   */
  imageFolding: { position: number | null; variant: number | null } | null;
  /** A platform's parent rows naming their children (Magento's configurable products): where they say so. */
  configurable: { type: number; kinds: string[]; variations: number; labels: number | null } | null;
  /** Columns of further images of the row's own (the profile's `moreImages`), when its images are mapped. */
  moreImages: number[];
  /** A platform's variable parents and their variations (WooCommerce): the columns that tell them apart and tie them. */
  parents: { type: number; id: number | null; parent: number; parentHeader: string; parentKinds: string[]; childKinds: string[] } | null;
}

/** A profile's `madeSkus` columns as the file has them (a column it lacks is left out). */
export interface MadeSkuIndexes {
  optionValues: number[];
  variantColumns: number[];
  imageColumns: number[];
  /** The SKU is mapped to the group's own column (sku ← Handle): a variant's SKU is made unless it has its own. */
  skuIsGroupKey: boolean;
  /** The profile's own SKU column (`Variant SKU`), when the SKU is mapped to the group's column instead. */
  ownSku: number | null;
}

/** A mapping from a profile's shape: each field's first column the header has. */
function profileMapping(shape: ProfileShape, columns: HeaderColumns): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const field of TARGET_FIELDS) {
    const found = shape.columns[field]?.map((name) => columns.indexOf(name)).find((index) => index !== -1);
    if (found !== undefined) mapping[field] = columns.header[found];
  }
  return mapping;
}

export interface Suggestion {
  mapping: ColumnMapping;
  source: MappingSource;
  profile: Profile | null;
  shape: ProfileShape | null;
  /** Required fields the suggestion has no column for. */
  missing: TargetField[];
}

/**
 * The mapping to use when the upload names none: a saved one for the same header, else a
 * built-in profile whose header this is, else the header's names and unambiguous synonyms.
 */
export function suggestMapping(
  header: HeaderColumns | readonly string[],
  saved: SavedMapping | undefined,
  choice: MappingChoice = {},
  fields: readonly FieldDefinition[] = [],
): Suggestion {
  const columns = HeaderColumns.of(header);
  return withFieldColumns(suggest(columns, detectedUnlessChosen(columns, choice), saved, choice), columns, fields);
}

/** A suggestion the header decided (not one chosen) also maps the columns named after the team's own fields. */
function withFieldColumns(suggestion: Suggestion, columns: HeaderColumns, fields: readonly FieldDefinition[]): Suggestion {
  if (suggestion.source === "chosen" || !fields.length) return suggestion;
  return { ...suggestion, mapping: matchFieldColumns(columns, fields, suggestion.mapping) };
}

type Detected = ReturnType<typeof detectProfile>;

/** The profile the header is written for, unless the upload named one (then it is not looked for). */
const detectedUnlessChosen = (columns: HeaderColumns, choice: MappingChoice): Detected => (choice.profile ? undefined : detectProfile(columns));

function suggest(columns: HeaderColumns, detected: Detected, saved: SavedMapping | undefined, choice: MappingChoice): Suggestion {
  const missing = (mapping: ColumnMapping) => REQUIRED_FIELDS.filter((field) => !mapping[field]);
  if (choice.profile) {
    const profile = PROFILES[choice.profile];
    const shape = shapeOf(profile, columns) ?? profile.shapes[0]!;
    const mapping = choice.mapping ?? profileMapping(shape, columns);
    return { mapping, source: choice.mapping ? "chosen" : "profile", profile, shape, missing: missing(mapping) };
  }
  if (choice.mapping) {
    return {
      mapping: choice.mapping,
      source: "chosen",
      profile: detected?.profile ?? null,
      shape: detected?.shape ?? null,
      missing: missing(choice.mapping),
    };
  }
  if (saved && Object.values(saved.mapping).every((name) => name !== undefined && columns.indexOf(name) !== -1)) {
    const profile = saved.profile ? PROFILES[saved.profile] : null;
    return {
      mapping: saved.mapping,
      source: "saved",
      profile,
      shape: profile ? (shapeOf(profile, columns) ?? null) : null,
      missing: missing(saved.mapping),
    };
  }
  if (detected) {
    const mapping = profileMapping(detected.shape, columns);
    return { mapping, source: "profile", ...detected, missing: missing(mapping) };
  }
  const { mapping } = matchHeaderNames(columns);
  return { mapping, source: "names", profile: null, shape: null, missing: missing(mapping) };
}

const listed = (header: string[]) => header.map((name) => `"${name}"`).join(", ") || "nothing";

/**
 * The columns an import reads: the upload's choice, else the suggestion; a 400 when a field names a
 * column the file lacks, two fields share a column, sku or name has none, or the header names a
 * column twice. The refusal carries the suggested mapping, so a caller can correct and retry.
 */
export function resolveColumns(
  header: string[],
  choice: MappingChoice,
  saved: SavedMapping | undefined,
  fields: readonly FieldDefinition[] = [],
): ResolvedColumns {
  // Each name normalised once and the profile looked for once: this runs on the request thread.
  const columns = new HeaderColumns(header);
  const detected = detectedUnlessChosen(columns, choice);
  const suggestion = withFieldColumns(suggest(columns, detected, saved, choice), columns, fields);
  const { mapping, profile, shape } = suggestion;
  const refuse = (message: string) =>
    new Refusal("invalid", message, {
      field: "mapping",
      extra: { suggestedMapping: withFieldColumns(suggest(columns, detected, saved, { profile: choice.profile }), columns, fields).mapping, header },
    });
  const mapped = attributeTargets(mapping, fields);
  // A remembered mapping may name a field deleted since: only a chosen one is refused for it.
  if (mapped.unknown.length && suggestion.source === "chosen") {
    const known = fields.map((field) => attributeTarget(field.key)).join(", ") || "none yet";
    throw refuse(`mapping: "${mapped.unknown[0]}" is not a field of yours (yours: ${known}); define it on the Fields page first.`);
  }
  const index: Partial<Record<TargetField, number>> = {};
  const used = new Map<number, string>();
  for (const field of TARGET_FIELDS) {
    const name = mapping[field];
    if (name === undefined) continue;
    const at = columns.indexOf(name);
    if (at === -1) throw refuse(`mapping: ${field} names the column "${name}", which the file does not have (its columns: ${listed(header)}).`);
    if (columns.isNamedTwice(at)) throw refuse(`The header names the column "${header[at]!.trim().toLowerCase()}" twice.`);
    const other = used.get(at);
    // A group may be read from the SKU's column (a handle mapped to both): the one field that may share.
    if (other && field !== "group") {
      throw refuse(`mapping: ${other} and ${field} both name the column "${header[at]}"; each field needs a column of its own.`);
    }
    if (field !== "group") used.set(at, field);
    index[field] = at;
  }
  const attributes: AttributeColumn[] = [];
  for (const field of mapped.fields) {
    const target = attributeTarget(field.key);
    const name = mapping[target]!;
    const at = columns.indexOf(name);
    if (at === -1) throw refuse(`mapping: ${target} names the column "${name}", which the file does not have (its columns: ${listed(header)}).`);
    if (columns.isNamedTwice(at)) throw refuse(`The header names the column "${header[at]!.trim().toLowerCase()}" twice.`);
    const other = used.get(at);
    if (other) throw refuse(`mapping: ${other} and ${target} both name the column "${header[at]}"; each field needs a column of its own.`);
    used.set(at, target);
    attributes.push({
      field,
      index: at,
      label: normalizeHeaderName(name) === normalizeHeaderName(field.label) ? field.label : `${field.label} ("${name}")`,
    });
  }
  if (suggestion.missing.length) {
    const found = columns.normalized.join(", ") || "nothing";
    const missing = suggestion.missing;
    throw refuse(
      suggestion.source === "names"
        ? `The header must name the columns sku and name; ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} missing (found: ${found}). Choose their columns with a mapping.`
        : `mapping: ${missing.join(" and ")} ${missing.length > 1 ? "have" : "has"} no column; choose one of ${listed(header)}.`,
    );
  }
  const labels = Object.fromEntries(
    TARGET_FIELDS.map((field) => {
      const column = mapping[field];
      return [field, column === undefined || normalizeHeaderName(column) === field ? field : `${field} ("${column}")`];
    }),
  ) as Record<TargetField, string>;
  const active = profile?.active ?? GENERIC_ACTIVE;
  const columnOf = (name: string) => nonNegative(columns.indexOf(name));
  const rowKindIndex = shape?.rowKind ? columnOf(shape.rowKind.column) : null;
  const groupBy = shape?.groupBy ? columnOf(shape.groupBy) : null;
  const indexesOf = (names: string[]) => names.map(columnOf).filter((at): at is number => at !== null);
  const commerce = MAPPED_COMMERCE_FIELDS.flatMap((field): CommerceColumn[] =>
    index[field] === undefined
      ? []
      : [
          {
            field,
            index: index[field],
            weightUnit: weightUnitOf(header[index[field]]!),
            categories: shape?.categories ?? null,
            isText: COMMERCE_FIELD_SPECS[field].stored !== "numeric" && COMMERCE_FIELD_SPECS[field].stored !== "integer",
          },
        ],
  );
  const salePrice = index.price === undefined ? null : (shape?.salePrice?.map(columnOf).find((at) => at !== null) ?? null);
  const configurableType = shape?.configurable ? columnOf(shape.configurable.type) : null;
  const configurableVariations = shape?.configurable ? columnOf(shape.configurable.variations) : null;
  const configurable =
    shape?.configurable && configurableType !== null && configurableVariations !== null
      ? { type: configurableType, kinds: shape.configurable.kinds, variations: configurableVariations, labels: columnOf(shape.configurable.labels) }
      : null;
  const variantOptionsAt = shape?.variantOptions && rowKindIndex !== null ? columnOf(shape.variantOptions.column) : null;
  // A platform writing a variant's options in one cell: the options are written, read from it (the row reader's).
  const options =
    OPTION_TARGETS.some((option) => index[option.value] !== undefined) || variantOptionsAt !== null || configurable !== null
      ? OPTION_TARGETS.map((option) => ({ name: index[option.name] ?? null, value: index[option.value] ?? null }))
      : [];
  const parentsType = shape?.parents ? columnOf(shape.parents.type) : null;
  const parentsParent = shape?.parents ? columnOf(shape.parents.parent) : null;
  const parents =
    shape?.parents && parentsType !== null && parentsParent !== null
      ? {
          type: parentsType,
          id: columnOf(shape.parents.id),
          parent: parentsParent,
          parentHeader: header[parentsParent]!,
          parentKinds: shape.parents.parentKinds,
          childKinds: shape.parents.childKinds,
        }
      : null;
  const writes = COMMERCE_FIELDS.filter(
    (field) =>
      (field === "options" ? options.length > 0 : index[field] !== undefined) ||
      (field === "compareAtPrice" && salePrice !== null) ||
      (field === "group" && (parents !== null || variantOptionsAt !== null || configurable !== null)),
  );
  return {
    header,
    index: { sku: index.sku!, name: index.name!, description: index.description ?? null, active: index.active ?? null },
    labels,
    mapping,
    source: suggestion.source,
    profile,
    shape,
    readActive: profile ? (raw) => readWord(active, raw) : (raw) => parseActive(raw),
    activeSpellings: active.spellings,
    groupBy,
    rowKind:
      shape?.rowKind && rowKindIndex !== null
        ? {
            index: rowKindIndex,
            kinds: shape.rowKind.kinds,
            variantName: shape.variantName,
            variantOptions: variantOptionsAt === null ? null : { index: variantOptionsAt, read: shape.variantOptions!.read },
          }
        : null,
    madeSkus:
      shape?.madeSkus && groupBy !== null
        ? {
            optionValues: indexesOf(shape.madeSkus.optionValues),
            variantColumns: indexesOf(shape.madeSkus.variantColumns),
            imageColumns: indexesOf(shape.madeSkus.imageColumns),
            skuIsGroupKey: index.sku === groupBy,
            ownSku: index.sku === groupBy ? (shape.columns.sku?.map(columnOf).find((at) => at !== null) ?? null) : null,
          }
        : null,
    columnOf,
    commerce,
    options,
    parents,
    configurable,
    moreImages: index.images !== undefined && shape?.moreImages ? indexesOf(shape.moreImages) : [],
    imageFolding:
      shape?.images && groupBy !== null && index.images !== undefined
        ? { position: columnOf(shape.images.position), variant: columnOf(shape.images.variant) }
        : null,
    salePrice,
    writes,
    attributes,
  };
}

const nonNegative = (index: number) => (index === -1 ? null : index);

function readWord(active: ActiveValues, raw: string): boolean | null | undefined {
  const word = raw.trim().toLowerCase();
  if (word === "") return active.empty;
  return Object.hasOwn(active.words, word) ? active.words[word] : undefined;
}
