/**
 * Rows shaped like the product_template.csv Shopify publishes for partners, under the classic column
 * names (write them with supplier-files.ts's shopifyRows): no `Variant SKU` anywhere, a product with
 * one default variant, one with sizes, one with two options, and rows that only add an image.
 */
const CDN = "https://burst.shopifycdn.com/photos";
/** A variant row's own cells, as Shopify's sample export writes them (no `Variant SKU`). */
export const variant = (handle: string, price: string, options: Record<string, string>) => ({
  Handle: handle,
  ...options,
  "Variant Grams": "0",
  "Variant Inventory Tracker": "shopify",
  "Variant Inventory Qty": "50",
  "Variant Inventory Policy": "deny",
  "Variant Fulfillment Service": "manual",
  "Variant Price": price,
  "Variant Requires Shipping": "TRUE",
  "Variant Taxable": "TRUE",
  "Variant Weight Unit": "kg",
});
/** A product's first row: its own cells and its first variant's. */
export const product = (handle: string, title: string, body: string, price: string, options: Record<string, string>, image: string) => ({
  ...variant(handle, price, options),
  Title: title,
  "Body (HTML)": body,
  Vendor: "partners-demo",
  Type: "Women",
  Tags: "women",
  Published: "TRUE",
  "Image Src": `${CDN}/${image}`,
  "Image Position": "1",
  "Gift Card": "FALSE",
  Status: "active",
});
export const imageRow = (handle: string, position: number, image: string) => ({
  Handle: handle,
  "Image Src": `${CDN}/${image}`,
  "Image Position": String(position),
});

export const DEFAULT = { "Option1 Name": "Title", "Option1 Value": "Default Title" };

/** Shaped like the product_template.csv Shopify publishes: a default variant, sizes, two options, extra images. */
export const SHOPIFY_SAMPLE = [
  product("ocean-blue-shirt", "Ocean Blue Shirt", "<p>Ocean blue cotton shirt with a narrow collar.</p>", "50.00", DEFAULT, "ocean-blue.jpg"),
  product("classic-varsity-top", "Classic Varsity Top", "<p>Womens casual varsity top.</p>", "60.00", size("small"), "varsity.jpg"),
  variant("classic-varsity-top", "60.00", { "Option1 Value": "medium" }),
  variant("classic-varsity-top", "60.00", { "Option1 Value": "large" }),
  imageRow("classic-varsity-top", 2, "varsity-back.jpg"),
  product("yellow-wool-jumper", "Yellow Wool Jumper", "<p>Knitted jumper in a soft wool blend.</p>", "80.00", DEFAULT, "yellow.jpg"),
  imageRow("yellow-wool-jumper", 2, "yellow-side.jpg"),
  imageRow("yellow-wool-jumper", 3, "yellow-back.jpg"),
  product("dark-denim-top", "Dark Denim Top", "<p>Classic denim top.</p>", "60.00", sizeAndColor("Small", "Blue / Navy"), "denim.jpg"),
  variant("dark-denim-top", "60.00", { "Option1 Value": "Large", "Option2 Value": "Blue / Navy" }),
  variant("dark-denim-top", "65.00", { "Option1 Value": "Large", "Option2 Value": "Black" }),
];
export function size(value: string) {
  return { "Option1 Name": "Size", "Option1 Value": value };
}
function sizeAndColor(sizeValue: string, color: string) {
  return { ...size(sizeValue), "Option2 Name": "Color", "Option2 Value": color };
}
