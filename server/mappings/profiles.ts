import { IMAGE_LIMITS } from "../products/commerce-fields.schema.js";
import { HeaderColumns } from "./header-columns.js";
import { PROFILE_IDS, type ProfileId, type TargetField } from "./mapping.schema.js";

/** One header shape of a platform (Shopify's classic and 2024 exports differ, say). */
export interface ProfileShape {
  /** All present (compared by normalized name) means the file is this shape. */
  required: string[];
  /** Each field's column, by name as the platform writes it; the first present one is used. */
  columns: Partial<Record<TargetField, string[]>>;
  /** Rows of one product share this column (Shopify's handle): blank fields are taken from its first row. */
  groupBy?: string;
  /** A variant without a SKU gets one made from its group's key (Shopify's handle) and option values. */
  madeSkus?: MadeSkuColumns;
  /** The column saying what a row is (BigCommerce's `Item Type`): rows of kind `product` start a group. */
  rowKind?: { column: string; kinds: Record<string, RowKind> };
  /** A variant row's name from its product's and its own (BigCommerce's legacy SKU rows hold only the option). */
  variantName?: (productName: string, rowName: string) => string;
  /** A variant row's options, read from one cell of it (BigCommerce's `Options`, or its legacy `Product Name`). */
  variantOptions?: { column: string; read: (cell: string) => [name: string, value: string][] };
  /**
   * A sale price column: holding a price above zero, it is the price the product sells at, and the
   * mapped price (the regular one) becomes its compare-at price (WooCommerce, Magento, BigCommerce).
   */
  salePrice?: string[];
  /** How the category column writes paths: several separated by `list` (the first is used), segments by `path`. */
  categories?: CategoryPaths;
  /**
   * The product's images are spread over its rows, one per row, image-only rows included (Shopify):
   * each image's position column, and the column of a variant's own image (which goes first for it).
   */
  images?: { position: string; variant: string };
  /** Columns of further images of the row's own, after its images column's (Magento's `additional_images`). */
  moreImages?: string[];
  /**
   * Variable products as a parent row and a row per variation naming it (WooCommerce): the row's
   * type column, its id column, the variation's parent column (a SKU or `id:<ID>`), and which types
   * are parents and which variations.
   */
  parents?: { type: string; id: string; parent: string; parentKinds: string[]; childKinds: string[] };
  /**
   * A parent row naming its children with their option values in one cell, wherever the children
   * are in the file (Magento's `configurable` rows: `configurable_variations` is
   * `sku=MH01-XS,size=XS,color=Black|sku=…`, `configurable_variation_labels` is `size=Size,color=Color`).
   */
  configurable?: { type: string; kinds: string[]; variations: string; labels: string };
}

export interface CategoryPaths {
  list?: string;
  path: string;
  /** Segments the platform puts before every path (Magento's root category), left out. */
  roots?: string[];
}

/** What a row of a multi-row export stands for; a row of neither kind is skipped, saying why. */
export type RowKind = "product" | "variant" | { skip: string };

/** The columns that tell a variant row from an image row, and give a made SKU its option values. */
export interface MadeSkuColumns {
  optionValues: string[];
  /** Any of these (or an option value, or a SKU) filled: the row is a variant. */
  variantColumns: string[];
  /** Filled while no variant column is: the row only adds an image to its product. */
  imageColumns: string[];
}

/** Why Shopify's image rows are skipped when their images are not imported (the same words for every such row, so they are counted together). */
export const IMAGE_ROW = "an extra image of a product (Shopify writes one row for each image after the first)";

export interface ActiveValues {
  /** Lower-cased value → active. */
  words: Record<string, boolean>;
  /** What an empty cell means: `null` = not said (the product keeps its flag, a new one is active). */
  empty: boolean | null;
  /** For the message when a value is none of the words. */
  spellings: string;
}

export interface Profile {
  id: ProfileId;
  shapes: ProfileShape[];
  active: ActiveValues;
  /** A row this platform writes that is not a product (a store view): why it is skipped. */
  skipRow?: (cell: (column: string) => string) => string | null;
  /** The text of a description as the platform escapes it. */
  description?: (text: string) => string;
}

const TRUE_FALSE = { true: true, false: false, yes: true, no: false, "1": true, "0": false };

/**
 * The product exports people bring, as their platforms write them today (headers and values from
 * each exporter's source or documentation: see docs/decisions/0010-supplier-files.md). A profile
 * says which column is which field, which values mean active, and how the platform spreads one
 * product over several rows.
 */
const PLATFORM_EXPORTS: Record<ProfileId, Omit<Profile, "id">> = {
  shopify: {
    shapes: [
      {
        // The export since 2024.
        required: ["Title", "URL handle", "SKU", "Published on online store"],
        columns: {
          sku: ["SKU"],
          name: ["Title"],
          description: ["Description"],
          active: ["Status", "Published on online store"],
          price: ["Price"],
          compareAtPrice: ["Compare-at price"],
          stock: ["Inventory quantity"],
          barcode: ["Barcode"],
          weightGrams: ["Weight value (grams)"],
          brand: ["Vendor"],
          category: ["Product category", "Type"],
          tags: ["Tags"],
          group: ["URL handle"],
          option1Name: ["Option1 name"],
          option1Value: ["Option1 value"],
          option2Name: ["Option2 name"],
          option2Value: ["Option2 value"],
          option3Name: ["Option3 name"],
          option3Value: ["Option3 value"],
          images: ["Product image URL"],
        },
        groupBy: "URL handle",
        images: { position: "Image position", variant: "Variant image URL" },
        madeSkus: {
          optionValues: ["Option1 value", "Option2 value", "Option3 value"],
          variantColumns: ["Price", "Compare-at price", "Barcode", "Inventory quantity"],
          imageColumns: ["Product image URL"],
        },
      },
      {
        // The classic export (products_export.csv, 2021–2024).
        required: ["Handle", "Title", "Body (HTML)", "Variant SKU"],
        columns: {
          sku: ["Variant SKU"],
          name: ["Title"],
          description: ["Body (HTML)"],
          active: ["Status", "Published"],
          price: ["Variant Price"],
          compareAtPrice: ["Variant Compare At Price"],
          stock: ["Variant Inventory Qty"],
          barcode: ["Variant Barcode"],
          weightGrams: ["Variant Grams"],
          brand: ["Vendor"],
          category: ["Product Category", "Type"],
          tags: ["Tags"],
          group: ["Handle"],
          option1Name: ["Option1 Name"],
          option1Value: ["Option1 Value"],
          option2Name: ["Option2 Name"],
          option2Value: ["Option2 Value"],
          option3Name: ["Option3 Name"],
          option3Value: ["Option3 Value"],
          images: ["Image Src"],
        },
        groupBy: "Handle",
        images: { position: "Image Position", variant: "Variant Image" },
        madeSkus: {
          optionValues: ["Option1 Value", "Option2 Value", "Option3 Value"],
          variantColumns: ["Variant Price", "Variant Compare At Price", "Variant Barcode", "Variant Inventory Qty"],
          imageColumns: ["Image Src"],
        },
      },
    ],
    // Status: active (and unlisted: sold, only left out of search) or draft / archived; Published: TRUE / FALSE.
    active: {
      words: { active: true, unlisted: true, draft: false, archived: false, ...TRUE_FALSE },
      empty: null,
      spellings: "active, draft, archived or unlisted",
    },
  },
  woocommerce: {
    shapes: [
      {
        required: ["ID", "Type", "SKU", "Name", "Published"],
        columns: {
          sku: ["SKU"],
          name: ["Name"],
          description: ["Description"],
          active: ["Published"],
          price: ["Regular price"],
          stock: ["Stock"],
          barcode: ["GTIN, UPC, EAN, or ISBN"],
          // The store's unit is in the header: Weight (kg), (g), (lbs) or (oz).
          weightGrams: ["Weight (kg)", "Weight (g)", "Weight (lbs)", "Weight (oz)"],
          brand: ["Brands"],
          category: ["Categories"],
          tags: ["Tags"],
          images: ["Images"],
          option1Name: ["Attribute 1 name"],
          option1Value: ["Attribute 1 value(s)"],
          option2Name: ["Attribute 2 name"],
          option2Value: ["Attribute 2 value(s)"],
          option3Name: ["Attribute 3 name"],
          option3Value: ["Attribute 3 value(s)"],
        },
        salePrice: ["Sale price"],
        categories: { list: ",", path: ">" },
        parents: { type: "Type", id: "ID", parent: "Parent", parentKinds: ["variable"], childKinds: ["variation"] },
      },
    ],
    // Published: 1 published, 0 private, -1 draft (written '-1 by older versions), 2 pending review.
    active: {
      words: { "1": true, "0": false, "-1": false, "2": false, true: true, false: false },
      empty: null,
      spellings: "1 (published), 0 (private), -1 (draft) or 2 (pending)",
    },
    // The exporter writes a description's line breaks as the two characters \n.
    description: (text) => text.replace(/\\\\n|\\n/g, (escape) => (escape === "\\n" ? "\n" : "\\n")),
  },
  magento: {
    shapes: [
      {
        required: ["sku", "store_view_code", "attribute_set_code", "product_type"],
        // weight is in the store's unit, which the file does not say: it is left for a mapping to choose.
        columns: {
          sku: ["sku"],
          name: ["name"],
          description: ["description"],
          active: ["product_online"],
          price: ["price"],
          compareAtPrice: ["msrp_price", "msrp"],
          stock: ["qty"],
          category: ["categories"],
          // Paths under the store's media folder (/m/b/mb01.jpg): URLs with the upload's imageBaseUrl.
          images: ["base_image"],
        },
        moreImages: ["additional_images"],
        configurable: {
          type: "product_type",
          kinds: ["configurable"],
          variations: "configurable_variations",
          labels: "configurable_variation_labels",
        },
        salePrice: ["special_price"],
        categories: { list: ",", path: "/", roots: ["Default Category"] },
      },
    ],
    // product_online is the status attribute's id: 1 enabled, 2 disabled.
    active: { words: { "1": true, "2": false, "0": false, enabled: true, disabled: false }, empty: null, spellings: "1 (enabled) or 2 (disabled)" },
    skipRow: (cell) => {
      const storeView = cell("store_view_code");
      return storeView ? `a store-view row (store_view_code "${storeView}"): only each product's default row is imported` : null;
    },
  },
  bigcommerce: {
    shapes: [
      {
        // The current Import/Export: Product, Variant, Image and Video rows.
        required: ["Item", "Name", "SKU", "Options"],
        // Its brand and categories are ids, and its weight is in the store's unit: left for a mapping to choose.
        columns: {
          sku: ["SKU"],
          name: ["Name"],
          description: ["Description"],
          active: ["Is Visible"],
          price: ["Price"],
          compareAtPrice: ["Retail Price"],
          stock: ["Current Stock"],
          barcode: ["UPC/EAN", "Global Trade Number"],
        },
        salePrice: ["Sale Price"],
        // "Type=Rectangle|Name=Size|Value=S", an option after another.
        variantOptions: {
          column: "Options",
          read: (cell) => [...cell.matchAll(/Name=([^|;]*)\|Value=([^|;]*)/g)].map(([, name, value]) => [name!, value!]),
        },
        rowKind: {
          column: "Item",
          kinds: {
            product: "product",
            variant: "variant",
            image: { skip: "an image row, not a product" },
            video: { skip: "a video row, not a product" },
          },
        },
      },
      {
        // The legacy Bulk Edit export: Product, SKU and Rule rows.
        required: ["Item Type", "Product Name", "Product Code/SKU"],
        columns: {
          sku: ["Product Code/SKU"],
          name: ["Product Name"],
          description: ["Product Description"],
          active: ["Product Visible?"],
          price: ["Price"],
          compareAtPrice: ["Retail Price"],
          stock: ["Current Stock Level"],
          barcode: ["Product UPC/EAN", "Global Trade Item Number"],
          brand: ["Brand Name"],
          category: ["Category"],
          images: ["Product Image URL - 1"],
        },
        moreImages: Array.from({ length: IMAGE_LIMITS.count - 1 }, (_, at) => `Product Image URL - ${at + 2}`),
        salePrice: ["Sale Price"],
        categories: { list: ";", path: "/" },
        rowKind: { column: "Item Type", kinds: { product: "product", sku: "variant", rule: { skip: "a pricing rule row, not a product" } } },
        // "[S]Size=Small" under "T-Shirt" is "T-Shirt (Size: Small)".
        // "[RB]Size=Small,[S]Color=Red".
        variantOptions: {
          column: "Product Name",
          read: (cell) => [...cell.matchAll(/\[[A-Z]+\]([^=,]+)=([^,]*)/g)].map(([, name, value]) => [name!.trim(), value!.trim()]),
        },
        variantName: (product, option) =>
          `${product} (${option
            .replace(/\[[A-Z]+\]/g, "")
            .replace("=", ": ")
            .trim()})`,
      },
    ],
    active: { words: { y: true, n: false, ...TRUE_FALSE }, empty: null, spellings: "Y/N or TRUE/FALSE" },
  },
};

/** Each platform's profile by id, in the order detection tries them (mapping.schema.ts names the platforms). */
export const PROFILES = Object.fromEntries(PROFILE_IDS.map((id) => [id, { id, ...PLATFORM_EXPORTS[id] }])) as Record<ProfileId, Profile>;

/** The shape of `profile` this header is written in, if any. */
export function shapeOf(profile: Profile, header: HeaderColumns | readonly string[]): ProfileShape | undefined {
  const columns = HeaderColumns.of(header);
  return profile.shapes.find((shape) => shape.required.every((name) => columns.has(name)));
}

/** The built-in profile (and shape) whose header this is. */
export function detectProfile(header: HeaderColumns | readonly string[]): { profile: Profile; shape: ProfileShape } | undefined {
  const columns = HeaderColumns.of(header);
  for (const profile of Object.values(PROFILES)) {
    const shape = shapeOf(profile, columns);
    if (shape) return { profile, shape };
  }
  return undefined;
}
