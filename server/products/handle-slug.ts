/** Anything but letters and digits (of any script) becomes one hyphen, as in Shopify's own handles. */
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/** Text as a Shopify handle writes it: lower case, each run of other characters one hyphen, none at either end. */
export const handleSlug = (text: string) =>
  text
    .toLowerCase()
    .replace(NOT_WORD, "-")
    .replace(/^-+|-+$/g, "");
