import { type EventEmitter, once } from "node:events";
import { open, stat } from "node:fs/promises";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";

/**
 * Deterministic stand-ins, for tests, of the files merchandisers really bring: shop-platform product exports (header
 * lines copied verbatim from the export-profiles research; columns we have no data for left empty, a few realistic
 * ones filled), our own sku,name,description,active shape in other CSV dialects, and .xlsx workbooks. No clock, no
 * randomness: the same input gives the same bytes (xlsx document and zip timestamps included).
 */

export interface SupplierProduct {
  /** The product's own SKU (for Shopify/BigCommerce: the first variant's SKU when variants are given). */
  sku: string;
  name: string;
  /** May contain commas, double quotes, newlines, HTML, non-ASCII (é, ü, €). */
  description: string;
  active: boolean;
  /** Extra variants (Shopify/BigCommerce variants, WooCommerce variations, Magento configurable children); `option` is the Size value. */
  variants?: { sku: string; option: string }[];
}

export interface SupplierFile {
  /** The file's content exactly as the platform writes it (string for UTF-8 files; Buffer when an encoding/BOM matters). */
  content: string | Buffer;
  filename: string;
  /** Plain-English notes of what rows the file holds (image-only rows, store-view rows, rule rows…), for test authors. */
  notes: string;
}

const SHOPIFY_CLASSIC_HEADER =
  "Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Option3 Name,Option3 Value,Variant SKU,Variant Grams,Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,Variant Fulfillment Service,Variant Price,Variant Compare At Price,Variant Requires Shipping,Variant Taxable,Variant Barcode,Image Src,Image Position,Image Alt Text,Gift Card,SEO Title,SEO Description,Google Shopping / Google Product Category,Google Shopping / Gender,Google Shopping / Age Group,Google Shopping / MPN,Google Shopping / AdWords Grouping,Google Shopping / AdWords Labels,Google Shopping / Condition,Google Shopping / Custom Product,Google Shopping / Custom Label 0,Google Shopping / Custom Label 1,Google Shopping / Custom Label 2,Google Shopping / Custom Label 3,Google Shopping / Custom Label 4,Variant Image,Variant Weight Unit,Variant Tax Code,Cost per item,Included / New Zealand,Included / International,Price / International,Compare At Price / International,Status";
const SHOPIFY_HEADER =
  "Title,URL handle,Description,Vendor,Product category,Type,Tags,Published on online store,Status,SKU,Barcode,Option1 name,Option1 value,Option1 Linked To,Option2 name,Option2 value,Option2 Linked To,Option3 name,Option3 value,Option3 Linked To,Price,Compare-at price,Cost per item,Charge tax,Tax code,Unit price total measure,Unit price total measure unit,Unit price base measure,Unit price base measure unit,Inventory tracker,Inventory quantity,Continue selling when out of stock,Weight value (grams),Weight unit for display,Requires shipping,Fulfillment service,Product image URL,Image position,Image alt text,Variant image URL,Gift card,SEO title,SEO description,Color (product.metafields.shopify.color-pattern),Google Shopping / Google product category,Google Shopping / Gender,Google Shopping / Age group,Google Shopping / Manufacturer part number (MPN),Google Shopping / Ad group name,Google Shopping / Ads labels,Google Shopping / Condition,Google Shopping / Custom product,Google Shopping / Custom label 0,Google Shopping / Custom label 1,Google Shopping / Custom label 2,Google Shopping / Custom label 3,Google Shopping / Custom label 4";
const WOO_HEADER =
  'ID,Type,SKU,"GTIN, UPC, EAN, or ISBN",Name,Published,"Is featured?","Visibility in catalog","Short description",Description,"Date sale price starts","Date sale price ends","Tax status","Tax class","In stock?",Stock,"Low stock amount","Backorders allowed?","Sold individually?","Weight (kg)","Length (cm)","Width (cm)","Height (cm)","Allow customer reviews?","Purchase note","Sale price","Regular price",Categories,Tags,"Shipping class",Images,"Download limit","Download expiry days",Parent,"Grouped products",Upsells,Cross-sells,"External URL","Button text",Position';
const MAGENTO_HEADER =
  "sku,store_view_code,attribute_set_code,product_type,categories,product_websites,name,description,short_description,weight,product_online,tax_class_name,visibility,price,special_price,special_price_from_date,special_price_to_date,url_key,meta_title,meta_keywords,meta_description,base_image,base_image_label,small_image,small_image_label,thumbnail_image,thumbnail_image_label,swatch_image,swatch_image_label,created_at,updated_at,new_from_date,new_to_date,display_product_options_in,map_price,msrp_price,map_enabled,gift_message_available,custom_design,custom_design_from,custom_design_to,custom_layout_update,page_layout,product_options_container,msrp_display_actual_price_type,country_of_manufacture,additional_attributes,qty,out_of_stock_qty,use_config_min_qty,is_qty_decimal,allow_backorders,use_config_backorders,min_cart_qty,use_config_min_sale_qty,max_cart_qty,use_config_max_sale_qty,is_in_stock,notify_on_stock_below,use_config_notify_stock_qty,manage_stock,use_config_manage_stock,use_config_qty_increments,qty_increments,use_config_enable_qty_inc,enable_qty_increments,is_decimal_divided,website_id,related_skus,related_position,crosssell_skus,crosssell_position,upsell_skus,upsell_position,additional_images,additional_image_labels,hide_from_product_page,custom_options,bundle_price_type,bundle_sku_type,bundle_price_view,bundle_weight_type,bundle_values,bundle_shipment_type,configurable_variations,configurable_variation_labels,associated_skus";
const BIGCOMMERCE_LEGACY_HEADER =
  "Item Type,Product ID,Product Name,Product Type,Product Code/SKU,Bin Picking Number,Brand Name,Option Set,Option Set Align,Product Description,Price,Cost Price,Retail Price,Sale Price,Fixed Shipping Cost,Free Shipping,Product Warranty,Product Weight,Product Width,Product Height,Product Depth,Allow Purchases?,Product Visible?,Product Availability,Track Inventory,Current Stock Level,Low Stock Level,Category,Product Image ID - 1,Product Image File - 1,Product Image Description - 1,Product Image Is Thumbnail - 1,Product Image Sort - 1,Product Image ID - 2,Product Image File - 2,Product Image Description - 2,Product Image Is Thumbnail - 2,Product Image Sort - 2,Search Keywords,Page Title,Meta Keywords,Meta Description,MYOB Asset Acct,MYOB Income Acct,MYOB Expense Acct,Product Condition,Show Product Condition?,Event Date Required?,Event Date Name,Event Date Is Limited?,Event Date Start Date,Event Date End Date,Sort Order,Product Tax Class,Product UPC/EAN,Stop Processing Rules,Product URL,Redirect Old URL?,Global Trade Item Number,Manufacturer Part Number";
const BIGCOMMERCE_HEADER =
  'Item,ID,Name,Type,SKU,Options,"Inventory Tracking","Current Stock","Low Stock",Price,"Cost Price","Retail Price","Sale Price","Brand ID",Channels,Categories,Description,"Custom Fields","Page Title","Product URL","Meta Description","Search Keywords","Meta Keywords","Bin Picking Number",UPC/EAN,"Global Trade Number","Manufacturer Part Number","Free Shipping","Fixed Shipping Cost",Weight,Width,Height,Depth,"Is Visible","Is Featured",Warranty,"Tax Class","Product Condition","Show Product Condition","Sort Order","Variant Image URL","Internal Image URL (Export)","Image URL (Import)","Image Description","Image is Thumbnail","Image Sort Order","YouTube ID","Video Title","Video Description","Video Sort Order"';

type Row = Record<string, string | undefined>;
type Field = (value: string) => string;

/** RFC 4180 quoting (Shopify, BigCommerce legacy, our dialects): only a field holding the delimiter, the quote, CR or LF. */
const rfcField =
  (delimiter = ",", quote = '"'): Field =>
  (value) =>
    value.includes(delimiter) || value.includes(quote) || /[\r\n]/.test(value) ? quote + value.replaceAll(quote, quote + quote) + quote : value;

/** PHP `fputcsv($fh, $row, ",", '"', "\0")` (WooCommerce, Magento 2.4, BigCommerce modern): a space or a tab also makes it quote. */
const phpField: Field = (value) => (/[,"\r\n\t \0]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** The column names of a header line (none is empty, none has a quote inside). */
const columnsOf = (headerLine: string): string[] => (headerLine.match(/"[^"]*"|[^,]+/g) ?? []).map((name) => name.replace(/^"(.*)"$/, "$1"));

/** The header line as the platform writes it, then one line per row. A row key that is not a column throws (typos). */
function csvTable(headerLine: string, rows: Row[], field: Field, eol: string): string {
  const columns = columnsOf(headerLine);
  const known = new Set(columns);
  const lines = [headerLine];
  for (const row of rows) {
    const unknown = Object.keys(row).find((key) => !known.has(key));
    if (unknown !== undefined) throw new Error(`supplier-files: no column "${unknown}" in this export's header`);
    lines.push(columns.map((column) => field(row[column] ?? "")).join(","));
  }
  return lines.join(eol) + eol;
}

/** URL slug of a name, the way the platforms derive handles: accents dropped, runs of other characters → "-". */
const slug = (name: string, fallback = "product"): string =>
  name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "") || fallback;
const money = (i: number, step = 0, decimals = 2): string => (19.9 + 5 * i + step).toFixed(decimals);
const VENDORS = ["Nordlicht Textil", "Maison Lumière", "Acme Supply Co."];
const vendor = (i: number): string => VENDORS[i % VENDORS.length] ?? "Acme Supply Co.";
/** One row from several groups of cells (so that no source line gets too long). */
const row = (...parts: Row[]): Row => Object.assign({}, ...parts);
const tally = (rows: Row[], key: string, value: string): number => rows.filter((cells) => cells[key] === value).length;
const FIXED_DATE = new Date(Date.UTC(2024, 0, 15, 9, 30));
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Classic Shopify column → its 2024+ name, where they differ ("" = the 2024+ header has no such column). */
const SHOPIFY_2024_NAMES: Record<string, string> = {
  ...{ Handle: "URL handle", "Body (HTML)": "Description", "Product Category": "Product category", Published: "Published on online store" },
  ...{ "Option1 Name": "Option1 name", "Option1 Value": "Option1 value", "Variant SKU": "SKU", "Variant Grams": "Weight value (grams)" },
  ...{ "Variant Inventory Tracker": "Inventory tracker", "Variant Inventory Qty": "Inventory quantity", "Variant Price": "Price" },
  ...{ "Variant Inventory Policy": "Continue selling when out of stock", "Variant Fulfillment Service": "Fulfillment service" },
  ...{ "Variant Compare At Price": "Compare-at price", "Variant Requires Shipping": "Requires shipping", "Variant Taxable": "Charge tax" },
  ...{ "Variant Weight Unit": "Weight unit for display", "Image Src": "Product image URL", "Image Position": "Image position" },
  ...{ "Gift Card": "Gift card", "Included / New Zealand": "", "Included / International": "" },
  ...{ "Option2 Name": "Option2 name", "Option2 Value": "Option2 value", "Option3 Name": "Option3 name", "Option3 Value": "Option3 value" },
  ...{ "Variant Barcode": "Barcode", "Image Alt Text": "Image alt text", "Variant Image": "Variant image URL" },
};

/** A row under its classic Shopify column name, written under the 2024+ name when `format` is 1. */
const shopifyCells = (cells: Row, format: 0 | 1): Row =>
  Object.fromEntries(
    Object.entries(cells)
      .map(([name, value]) => [format ? (SHOPIFY_2024_NAMES[name] ?? name) : name, value])
      .filter(([name]) => name !== ""),
  );

/**
 * Rows given under the classic Shopify column names, written as Shopify's admin exports them in either format
 * (CRLF, RFC quoting). For files shaped like Shopify's published samples (no `Variant SKU`, image-only rows).
 */
export function shopifyRows(rows: Row[], format: "classic" | "2024", filename = "products_export_1.csv"): SupplierFile {
  const f = format === "2024" ? 1 : 0;
  const content = csvTable(
    f ? SHOPIFY_HEADER : SHOPIFY_CLASSIC_HEADER,
    rows.map((cells) => shopifyCells(cells, f)),
    rfcField(),
    "\r\n",
  );
  return { content, filename, notes: `${rows.length} data rows in Shopify's ${format} columns.` };
}

function shopifyFile(products: SupplierProduct[], format: 0 | 1): SupplierFile {
  const rows: Row[] = [];
  const add = (...parts: Row[]): void => {
    rows.push(shopifyCells(row(...parts), format));
  };
  let actives = 0;
  let inactives = 0;
  let imageRow = 0;
  products.forEach((p, i) => {
    const handle = slug(p.name, `product-${i + 1}`);
    const image = `https://cdn.shopify.com/s/files/1/0612/3456/7890/files/${handle}`;
    const extra = p.variants ?? [];
    const variants = [{ sku: p.sku, option: extra.length ? "Standard" : "Default Title" }, ...extra];
    variants.forEach((v, n) => {
      const variant = row(
        { Handle: handle, "Option1 Value": v.option, "Variant SKU": v.sku, "Variant Grams": String(250 + 50 * n), "Variant Price": money(i, n) },
        { "Variant Inventory Tracker": "shopify", "Variant Inventory Qty": String((7 * i + 3 * n) % 40), "Variant Weight Unit": "g" },
        { "Variant Inventory Policy": format ? "DENY" : "deny", "Variant Fulfillment Service": "manual", "Variant Requires Shipping": "TRUE" },
        { "Variant Taxable": "TRUE" },
      );
      if (n > 0) return add(variant);
      const status = p.active ? (actives++ % 2 ? "active" : "Active") : inactives++ % 2 ? "archived" : "draft";
      add(
        variant,
        { Title: p.name, "Body (HTML)": p.description, Vendor: vendor(i), Type: "Shirts", Tags: "cotton, summer", Status: status },
        { "Product Category": "Apparel & Accessories > Clothing > Shirts & Tops", Published: p.active ? "TRUE" : "FALSE", "Gift Card": "FALSE" },
        { "Option1 Name": extra.length ? "Size" : "Title", "Variant Compare At Price": money(i, 10), "Cost per item": money(i, -10) },
        { "Image Src": `${image}-1.jpg?v=1705311000`, "Image Position": "1", "Included / New Zealand": "TRUE", "Included / International": "TRUE" },
      );
    });
    if (i === 0) {
      add({ Handle: handle, "Image Src": `${image}-2.jpg?v=1705311000`, "Image Position": "2" });
      imageRow = rows.length;
    }
  });
  const [title, body, published, sku] = ["Title", "Body (HTML)", "Published", "Variant SKU"].map((name) =>
    format ? (SHOPIFY_2024_NAMES[name] ?? name) : name,
  );
  const notes =
    `${products.length} products in ${rows.length} data rows (CRLF, no BOM). A product's first row has ${title}, ${body}, ${published} ` +
    `(TRUE/FALSE), Status (Active/active, or draft/archived alternating for inactive products) and its first variant: ${sku} = the ` +
    `product's sku, Option1 value "Default Title", or "Standard" when it has variants. Each further variant is a row with ${title}, ` +
    `${body}, Status and ${published} blank: only the handle, ${sku}, Option1 value and variant fields.` +
    (imageRow ? ` Data row ${imageRow} is image-only (handle and image, no ${sku}, no option): skip it.` : "");
  return { content: csvTable(format ? SHOPIFY_HEADER : SHOPIFY_CLASSIC_HEADER, rows, rfcField(), "\r\n"), filename: "products_export_1.csv", notes };
}

/**
 * Shopify admin "Export products" in the classic format (2022 – mid-2024: `Handle,Title,Body (HTML),…,Variant SKU,…,Status`).
 * Quirks: a product spans rows sharing its Handle; variant rows leave Title/Body/Status/Published blank; one image-only row
 * (no SKU) follows the first product; Status in mixed case (`Active`, `active`, `draft`, `archived`); Published TRUE/FALSE;
 * CRLF; no BOM; RFC quoting (only fields with a comma, quote or newline).
 */
export function shopifyClassicExport(products: SupplierProduct[]): SupplierFile {
  return shopifyFile(products, 0);
}

/**
 * Shopify admin "Export products" in the 2024+ format (`Title,URL handle,Description,…,SKU,…`): the same rows as
 * {@link shopifyClassicExport} under the new names (`URL handle`, `Description`, `Published on online store`, `SKU`).
 */
export function shopifyExport(products: SupplierProduct[]): SupplierFile {
  return shopifyFile(products, 1);
}

/** WooCommerce `escape_data`: a non-numeric value starting with = + - @ TAB or CR gets a leading `'`. */
const wooEscape = (value: string): string =>
  /^[=+\-@\t\r]/.test(value) && !/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value) ? `'${value}` : value;
/** WooCommerce `filter_description_field`: a literal `\n` becomes `\\n`, a real newline the two characters `\n`. */
const wooDescription = (text: string): string => text.replaceAll("\\n", "\\\\n").replaceAll("\n", "\\n");

/**
 * WooCommerce's built-in product exporter (Products › Export, `wc-product-export-<d-m-Y>-<ms>.csv`). Quirks: a UTF-8 BOM;
 * LF; PHP fputcsv quoting (any field with a space, comma, quote, tab or newline is quoted); Published `1` (publish),
 * `0` (private) and `-1` (draft) — inactive products cycle through `'-1` (older versions formula-escaped numbers too),
 * `-1` and `0`; a product with variants is a `variable` row followed by `variation` rows whose Parent is the parent's SKU;
 * descriptions with real newlines written as the two characters `\n`; values starting with = + - @ get a leading `'`.
 */
export function wooCommerceExport(products: SupplierProduct[]): SupplierFile {
  const rows: Row[] = [];
  const add = (...parts: Row[]): number => rows.push(row(...parts));
  let id = 10;
  let inactive = 0;
  const common = row(
    { "Is featured?": "0", "Visibility in catalog": "visible", "Tax status": "taxable", "In stock?": "1" },
    { "Backorders allowed?": "0", "Sold individually?": "0" },
  );
  products.forEach((p, i) => {
    const published = p.active ? "1" : (["'-1", "-1", "0"][inactive++ % 3] ?? "-1");
    const variants = p.variants ?? [];
    const parentId = String(++id);
    add(
      common,
      { ID: parentId, Type: variants.length ? "variable" : "simple", SKU: p.sku, Name: p.name, Published: published },
      { Description: wooDescription(p.description), Stock: variants.length ? "" : String((7 * i) % 40), "Weight (kg)": "0.25" },
      { "Allow customer reviews?": "1", "Regular price": variants.length ? "" : money(i), Position: "0" },
      { Categories: "Clothing > Shirts, Sale", Tags: "cotton, summer" },
      { Images: `https://shop.example.com/wp-content/uploads/2024/01/${slug(p.name)}.jpg` },
    );
    variants.forEach((v, n) => {
      const name = `${p.name} - ${v.option}`;
      // A variation of a draft parent is exported as draft; otherwise with its own status (publish → 1), even under a private parent.
      add(
        common,
        { ID: String(++id), Type: "variation", SKU: v.sku, Name: name, Published: published === "0" ? "1" : published },
        { "Tax class": "parent", Stock: String(n + 3), "Allow customer reviews?": "0", "Regular price": money(i, n + 1) },
        { Parent: p.sku || `id:${parentId}`, Position: String(n + 1) },
      );
    });
  });
  const escaped = rows.map((cells) => Object.fromEntries(Object.entries(cells).map(([key, value]) => [key, wooEscape(value ?? "")])));
  const notes =
    `${rows.length} data rows after a UTF-8 BOM (LF): ${tally(rows, "Type", "simple")} simple, ${tally(rows, "Type", "variable")} variable, ` +
    `${tally(rows, "Type", "variation")} variation (Name "<parent> - <option>", Description empty: inherit; Parent = parent SKU). Published 1 ` +
    `when active; inactive products cycle '-1, -1, 0 (draft, draft, private); variations copy a draft parent's value but show 1 under a ` +
    `private parent, as WooCommerce writes them. Description newlines are the two characters \\n.`;
  const content = Buffer.concat([UTF8_BOM, Buffer.from(csvTable(WOO_HEADER, escaped, phpField, "\n"), "utf8")]);
  return { content, filename: "wc-product-export-15-1-2024-1705311000000.csv", notes };
}

/**
 * Magento 2 / Adobe Commerce System › Export › Products (`catalog_product_<date>.csv`). Quirks: LF, no BOM, PHP fputcsv
 * quoting; a default-scope row per product (`store_view_code` empty), after the first one a store-view row ("de") with
 * only the translated name (plus sku, attribute set, type); `product_online` 1/2; a product with variants is `configurable`
 * (`configurable_variations`) then its `simple` children (`Not Visible Individually`, enabled as the parent is); a value
 * starting with = + - gets a leading space (Magento's formula guard).
 */
export function magentoExport(products: SupplierProduct[]): SupplierFile {
  const rows: Row[] = [];
  const add = (...parts: Row[]): number => rows.push(row(...parts));
  const stock: Row = { qty: "100.0000", out_of_stock_qty: "0.0000", is_in_stock: "1", manage_stock: "1", website_id: "0" };
  let translated = "";
  products.forEach((p, i) => {
    const variants = p.variants ?? [];
    const type = variants.length ? "configurable" : "simple";
    const key = slug(p.name, `product-${i + 1}`);
    const base = row(
      stock,
      { attribute_set_code: "Default", product_websites: "base", product_online: p.active ? "1" : "2", tax_class_name: "Taxable Goods" },
      { created_at: "1/15/24, 9:30 AM", updated_at: "1/15/24, 9:30 AM" },
    );
    add(
      base,
      { sku: p.sku, product_type: type, categories: "Default Category/Gear,Default Category/Gear/Shirts", name: p.name },
      { description: p.description, weight: variants.length ? "" : "0.2500", visibility: "Catalog, Search", price: money(i, 0, 6) },
      { url_key: key, meta_title: p.name, meta_description: p.name, display_product_options_in: "Block after Info Column" },
      { msrp_display_actual_price_type: "Use config", configurable_variation_labels: variants.length ? "size=Size" : "" },
      { configurable_variations: variants.map((v) => `sku=${v.sku},size=${v.option}`).join("|") },
    );
    if (i === 0) {
      translated = `${p.name} (deutsche Ausführung)`;
      rows.push({ sku: p.sku, store_view_code: "de", attribute_set_code: "Default", product_type: type, name: translated });
    }
    variants.forEach((v, n) => {
      add(
        base,
        { sku: v.sku, product_type: "simple", name: `${p.name}-${v.option}`, weight: "0.2500", price: money(i, n + 1, 6) },
        { visibility: "Not Visible Individually", url_key: `${key}-${slug(v.option)}`, additional_attributes: `size=${v.option}` },
      );
    });
  });
  const guard = (value = ""): string => (/^[=+-]/.test(value) ? ` ${value}` : value);
  const guarded = rows.map((cells) => Object.fromEntries(Object.entries(cells).map(([key, value]) => [key, guard(value)])));
  const notes =
    `${rows.length} data rows (LF, no BOM): a default-scope row per SKU (store_view_code empty, product_online 1 enabled / 2 disabled)` +
    (translated ? `; after the first product a store-view row (store_view_code "de") with only its name "${translated}"` : "") +
    `. A product with variants is a configurable row followed by a simple row per variant ("Not Visible Individually", ` +
    `product_online as the parent's, name "<parent>-<option>").`;
  return { content: csvTable(MAGENTO_HEADER, guarded, phpField, "\n"), filename: "catalog_product_20240115_093000.csv", notes };
}

/**
 * BigCommerce legacy "Bulk Edit" export template (v2 Import/Export). Quirks: CRLF, no BOM, RFC quoting; `Item Type`
 * Product rows, then a `SKU` row per variant (no parent column: it belongs to the Product row above; `Product Name`
 * holds the option string `[S]Size=<option>`, `Product Code/SKU` the variant SKU, `Product Visible?` blank), and one `Rule`
 * row (price adjustment) after the first product with variants (or the first product); `Product Visible?` Y/N.
 */
export function bigCommerceLegacyExport(products: SupplierProduct[]): SupplierFile {
  const rows: Row[] = [];
  const add = (...parts: Row[]): number => rows.push(row(...parts));
  const firstWithVariants = products.findIndex((p) => (p.variants?.length ?? 0) > 0);
  const ruleAfter = firstWithVariants < 0 ? 0 : firstWithVariants;
  products.forEach((p, i) => {
    const variants = p.variants ?? [];
    const key = slug(p.name, `product-${i + 1}`);
    add(
      { "Item Type": "Product", "Product ID": String(101 + i), "Product Name": p.name, "Product Type": "P", "Product Code/SKU": p.sku },
      { "Brand Name": vendor(i), "Option Set": variants.length ? "Size" : "", "Option Set Align": "Right", "Product Weight": "0.25" },
      { "Product Description": p.description, Price: money(i), "Cost Price": "0.00", "Retail Price": "0.00", "Sale Price": "0.00" },
      { "Fixed Shipping Cost": "0.00", "Free Shipping": "N", "Allow Purchases?": "Y", "Product Visible?": p.active ? "Y" : "N" },
      { "Track Inventory": variants.length ? "by option" : "by product", "Current Stock Level": "12", Category: "Shop All/Apparel;Sale" },
      { "Product Image File - 1": `${key}__12345.jpg`, "Product Image Is Thumbnail - 1": "Y", "Product Condition": "New", "Sort Order": "0" },
      { "Product Tax Class": "Default Tax Class", "Stop Processing Rules": "N", "Product URL": `/${key}/`, "Redirect Old URL?": "N" },
    );
    variants.forEach((v, n) => {
      add({ "Item Type": "SKU", "Product Name": `[S]Size=${v.option}`, "Product Code/SKU": v.sku }, { "Current Stock Level": String(n + 3) });
    });
    if (i === ruleAfter) {
      const option = `[S]Size=${variants.at(-1)?.option ?? "Standard"}`;
      add(
        { "Item Type": "Rule", "Product Name": option, Price: "[ADD]2.00", "Allow Purchases?": "Y", "Product Visible?": "Y" },
        { "Sort Order": "0", "Stop Processing Rules": "N" },
      );
    }
  });
  const rule = rows.findIndex((cells) => cells["Item Type"] === "Rule") + 1;
  const notes =
    `${rows.length} data rows (CRLF, no BOM): ${tally(rows, "Item Type", "Product")} Product rows (Product Visible? Y/N), ` +
    `${tally(rows, "Item Type", "SKU")} SKU rows (one per variant, right under its Product row; Product Name is the option string ` +
    `"[S]Size=<option>", Product Code/SKU the variant's SKU, Product Visible? blank: inherit)` +
    (rule ? ` and one Rule row (data row ${rule}, no SKU, Price "[ADD]2.00", Product Visible? Y): skip it.` : ".");
  return { content: csvTable(BIGCOMMERCE_LEGACY_HEADER, rows, rfcField(), "\r\n"), filename: "products-2024-01-15.csv", notes };
}

/**
 * BigCommerce modern Import/Export ("v3", the current default). Quirks: LF, no BOM, PHP fputcsv quoting (the header
 * quotes its names with spaces); `Item` Product rows (`Is Visible` TRUE/FALSE), then a `Variant` row per variant (empty
 * Name/Description/Is Visible, own SKU, Options `Type=Rectangle|Name=Size|Value=<option>`), then one `Image` row (no SKU)
 * per product; Categories are IDs joined with `;`.
 */
export function bigCommerceExport(products: SupplierProduct[]): SupplierFile {
  const rows: Row[] = [];
  const add = (...parts: Row[]): number => rows.push(row(...parts));
  let variantId = 0;
  let imageId = 264;
  products.forEach((p, i) => {
    const variants = p.variants ?? [];
    const key = slug(p.name, `product-${i + 1}`);
    add(
      { Item: "Product", ID: String(77 + i), Name: p.name, Type: "physical", SKU: p.sku, "Current Stock": "0", "Low Stock": "0" },
      { "Inventory Tracking": variants.length ? "variant" : "none", Price: money(i), "Cost Price": "0.00", "Retail Price": "0.00" },
      { "Sale Price": "0.00", "Brand ID": String(36 + (i % 3)), Channels: "1", Categories: "23;18", Description: p.description },
      { "Product URL": `/${key}/`, "Free Shipping": "FALSE", Weight: "1.00", "Is Visible": p.active ? "TRUE" : "FALSE", "Is Featured": "FALSE" },
      { "Tax Class": "0", "Product Condition": "New", "Show Product Condition": "FALSE", "Sort Order": "0" },
    );
    for (const v of variants) {
      add(
        { Item: "Variant", ID: String(++variantId), SKU: v.sku, Options: `Type=Rectangle|Name=Size|Value=${v.option}` },
        { "Current Stock": "0", "Low Stock": "0", "Cost Price": "0.00", "Bin Picking Number": "0", "Free Shipping": "FALSE" },
      );
    }
    const url = `https://cdn11.bigcommerce.com/s-x7k2m9/products/${77 + i}/images/${++imageId}/${key}.1705311000.386.513.jpg?c=1`;
    rows.push({ Item: "Image", ID: String(imageId), "Internal Image URL (Export)": url, "Image is Thumbnail": "TRUE", "Image Sort Order": "0" });
  });
  const notes =
    `${rows.length} data rows (LF, no BOM): ${tally(rows, "Item", "Product")} Product rows (Is Visible TRUE/FALSE), ` +
    `${tally(rows, "Item", "Variant")} Variant rows under their product (empty Name, Description and Is Visible: inherit; own SKU; ` +
    `Options "Type=Rectangle|Name=Size|Value=<option>") and ${tally(rows, "Item", "Image")} Image rows, one after each product ` +
    `(no SKU, no Name): skip them.`;
  return { content: csvTable(BIGCOMMERCE_HEADER, rows, phpField, "\n"), filename: "products-2024-01-15-v3.csv", notes };
}

/**
 * Our own shape (sku,name,description,active) in another dialect: delimiter, encoding, line ending (after every
 * row, the last included), quote character. Fields holding the delimiter, the quote character, CR or LF are quoted
 * (quote doubled). `utf-8-bom` and both UTF-16s start with a BOM; `windows-1252` is encoded with iconv-lite and
 * throws if a character has no windows-1252 byte (instead of silently writing `?`).
 */
export function dialectCsv(
  rows: { sku: string; name: string; description: string; active: string }[],
  dialect: {
    delimiter: "," | ";" | "\t" | "|";
    encoding: "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be" | "windows-1252";
    lineEnding: "\r\n" | "\n" | "\r";
    quote?: '"' | "'";
  },
): Buffer {
  const field = rfcField(dialect.delimiter, dialect.quote ?? '"');
  const records = [["sku", "name", "description", "active"], ...rows.map((r) => [r.sku, r.name, r.description, r.active])];
  const text = records.map((cells) => cells.map(field).join(dialect.delimiter) + dialect.lineEnding).join("");
  if (dialect.encoding === "windows-1252") {
    const bad = [...text].find((ch) => iconv.decode(iconv.encode(ch, "windows-1252"), "windows-1252") !== ch);
    if (bad !== undefined) throw new Error(`supplier-files: U+${bad.codePointAt(0)?.toString(16).toUpperCase()} has no windows-1252 byte`);
    return iconv.encode(text, "windows-1252");
  }
  if (dialect.encoding.startsWith("utf-16")) {
    const le = Buffer.from(`\ufeff${text}`, "utf16le");
    return dialect.encoding === "utf-16be" ? le.swap16() : le;
  }
  return Buffer.concat([dialect.encoding === "utf-8-bom" ? UTF8_BOM : Buffer.alloc(0), Buffer.from(text, "utf8")]);
}

const EOCD = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
/** DOS time 09:30:00 and date 2024-01-15, little-endian, as zip headers store them. */
const DOS_STAMP = Buffer.from([0xc0, 0x4b, 0x2f, 0x58]);

/**
 * Where a zip's entry timestamps are (each central-directory header and the local header it points at), read from
 * the central directory. `tail` holds the zip's bytes from `tailStart` (at or before the central directory) to the end.
 */
function zipStampOffsets(tail: Buffer, tailStart: number): number[] {
  const eocd = tail.lastIndexOf(EOCD);
  if (eocd < 0) throw new Error("supplier-files: not a zip (no end of central directory)");
  const offsets: number[] = [];
  let at = tail.readUInt32LE(eocd + 16) - tailStart;
  for (let entry = tail.readUInt16LE(eocd + 10); entry > 0; entry--) {
    offsets.push(tailStart + at + 12, tail.readUInt32LE(at + 42) + 10);
    at += 46 + tail.readUInt16LE(at + 28) + tail.readUInt16LE(at + 30) + tail.readUInt16LE(at + 32);
  }
  return offsets;
}

/** Pins every entry's timestamp of a zip file on disk (zip libraries stamp entries with the current time). */
async function pinZipFileTimes(file: string): Promise<void> {
  const handle = await open(file, "r+");
  try {
    const { size } = await handle.stat();
    const tailStart = Math.max(0, size - (1 << 20)); // an xlsx's central directory is a few hundred bytes
    const { buffer: tail } = await handle.read(Buffer.alloc(size - tailStart), 0, size - tailStart, tailStart);
    for (const at of zipStampOffsets(tail, tailStart)) await handle.write(DOS_STAMP, 0, 4, at);
  } finally {
    await handle.close();
  }
}

const isPlainCell = (value: unknown): boolean =>
  value === null || ["string", "number", "boolean", "undefined"].includes(typeof value) || value instanceof Date;
function cellValue(value: unknown): ExcelJS.CellValue {
  if (isPlainCell(value)) return value as ExcelJS.CellValue;
  const { formula, result } = (value ?? {}) as { formula?: unknown; result?: unknown };
  if (typeof formula === "string" && isPlainCell(result)) return { formula, result: (result ?? undefined) as ExcelJS.CellFormulaValue["result"] };
  throw new TypeError(`supplier-files: unsupported xlsx cell ${JSON.stringify(value)}`);
}

/**
 * An .xlsx workbook, as Excel users re-save supplier lists: one worksheet per entry, `rows[r][c]` a string, number,
 * boolean, Date, `{ formula, result }` (formula without the leading "=", result cached as Excel caches it), or
 * null/undefined (no cell). `numFmts[c]` is applied to the non-string cells of column c (e.g. "0.00", "yyyy-mm-dd",
 * "#,##0"); Dates without one get Excel's default date format. Deterministic bytes (document and zip dates pinned).
 */
export async function xlsxWorkbook(sheets: { name: string; rows: unknown[][]; numFmts?: (string | undefined)[] }[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "supplier-files";
  workbook.created = workbook.modified = FIXED_DATE;
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheet.name);
    for (const cells of sheet.rows) {
      const added = worksheet.addRow(cells.map(cellValue));
      sheet.numFmts?.forEach((numFmt, c) => {
        const cell = added.getCell(c + 1);
        if (numFmt !== undefined && cell.value !== null && cell.value !== undefined && typeof cell.value !== "string") cell.numFmt = numFmt;
      });
    }
  }
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  for (const at of zipStampOffsets(buffer, 0)) DOS_STAMP.copy(buffer, at);
  return buffer;
}

const LARGE_NAMES = ["Leinenhemd", "Café-Tasse", "Wanderjacke", "Crème Tube", "Schlüsselband", "Übertopf"];
const LARGE_DESCRIPTIONS = [
  "Robust, leicht & wetterfest – für draußen",
  'Der "Klassiker": 100 % Baumwolle, 180 g/m²',
  "Crème brûlée, 250 ml; «limitiert»",
  "Zwei Zeilen:\nGröße M, Farbe Blau",
  "Prix: 9,99 € — déjà vu, naïve façade",
  'Größe "XL", Ärmel lang, Übergröße',
];

/** Data row `n` (1-based) of {@link writeLargeXlsx}: [sku "xl-0000001"…, name, description, active "yes"/"no" (every 4th "no")]. */
export function largeXlsxRow(n: number): [string, string, string, string] {
  const name = `${LARGE_NAMES[n % LARGE_NAMES.length] ?? ""} Nr. ${n}`;
  return [`xl-${String(n).padStart(7, "0")}`, name, LARGE_DESCRIPTIONS[n % LARGE_DESCRIPTIONS.length] ?? "", n % 4 === 0 ? "no" : "yes"];
}

type Sink = EventEmitter & { writableLength?: number; _writableState?: { length?: number } };
/**
 * exceljs 4's sheet stream writes into the zip's input (a readable-stream 2 PassThrough) without heeding backpressure:
 * that input and the bytes queued in it (internals; undefined, so no waiting, should they change).
 */
function sheetSink(worksheet: ExcelJS.Worksheet): { sink: Sink; queued: number } | undefined {
  const sink = (worksheet as unknown as { stream?: { pipes?: Sink[] } }).stream?.pipes?.[0];
  return sink && { sink, queued: sink.writableLength ?? sink._writableState?.length ?? 0 };
}

/**
 * A large single-sheet workbook ("Products") for a streaming test or benchmark, written with exceljs' streaming
 * WorkbookWriter (shared strings on, no styles): the header [sku, name, description, active], then `count` rows
 * {@link largeXlsxRow}(1…count). Rows are committed as they are made, and whenever more than 1 MiB of sheet XML
 * waits for the zip the loop waits for it to drain, so rows are not held. exceljs' shared-string table (every unique
 * SKU and name) is, and `commit()` serializes it in one piece: peak RSS ≈ 800 MB for 500,000 rows (≈ 300 MB while the
 * rows are written). Returns the file size in bytes.
 */
export async function writeLargeXlsx(file: string, count: number): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: false });
  workbook.creator = "supplier-files";
  workbook.created = workbook.modified = FIXED_DATE;
  const worksheet = workbook.addWorksheet("Products");
  worksheet.addRow(["sku", "name", "description", "active"]).commit();
  for (let n = 1; n <= count; n++) {
    worksheet.addRow(largeXlsxRow(n)).commit();
    const backlog = n % 500 === 0 ? sheetSink(worksheet) : undefined;
    if (backlog && backlog.queued > 1 << 20) await once(backlog.sink, "drain");
  }
  worksheet.commit();
  await workbook.commit();
  await pinZipFileTimes(file);
  return (await stat(file)).size;
}
