import { handleSlug } from "../../products/handle-slug.js";
/** Shopify's placeholder value for a product's one variant: not an option worth a SKU. */
const DEFAULT_VARIANT = "default title";

/**
 * The SKU of a variant that has none: its handle alone for a product's default variant
 * (`ocean-blue-shirt`), else the handle and its option values in order (`classic-varsity-top-small`,
 * `tee-navy-xl`). The same rows give the same SKUs on every import, so importing the file again
 * updates the same products. Two variants of one handle whose values read alike get `-2`, `-3` in
 * file order; `made` holds the SKUs made for the handle so far.
 */
export function madeSku(handle: string, optionValues: string[], made: Set<string>): string {
  const options = optionValues
    .map((value) => value.trim())
    .filter((value) => value !== "" && value.toLowerCase() !== DEFAULT_VARIANT)
    .map(handleSlug)
    .filter(Boolean);
  const base = [handle.trim(), ...options].join("-");
  let sku = base;
  for (let n = 2; made.has(sku.toLowerCase()); n += 1) sku = `${base}-${n}`;
  made.add(sku.toLowerCase());
  return sku;
}
