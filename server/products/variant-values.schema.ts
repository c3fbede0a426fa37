import type { ProductOption } from "../../db/schema.js";
import { IMAGE_LIMITS, OPTION_LIMITS } from "./commerce-fields.schema.js";
import type { Read } from "./value-read.schema.js";
import { lengthOver } from "./product-rules.schema.js";

/**
 * How a product's options and images are read, the one rule the importer (a file's cells) and the
 * API share. An image that cannot be used does not cost a file's row its product: the importer
 * leaves it out and says so (a warning); the API refuses it.
 */

/**
 * What separates image URLs in one cell: white space, `|`, `;`, or a comma before white space or
 * another URL or path (`a.jpg, b.jpg`, `/m/a.jpg,/m/b.jpg`). A comma inside a URL stays (an image
 * CDN's `w_100,h_100`).
 */
const IMAGE_SEPARATORS = /(?:[\s|;]|,(?=[\s|;]|https?:\/\/|\/|$))+/i;
const HTTP_URL = /^https?:\/\//i;
/** A scheme (`ftp:`, `data:`, `javascript:`), which a relative path never starts with. */
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** A value cut short for a message. */
export const shown = (value: string) => `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;

/** One URL as stored, or why it is left out. `base` turns a relative path (`/m/b/jkt.jpg`) into a URL. */
export function readImageUrl(raw: string, base: string | null = null): Read<string> {
  let url = raw.trim();
  if (!HTTP_URL.test(url) && !SCHEME.test(url) && base) url = `${base.replace(/\/+$/, "")}/${url.replace(/^\/+/, "")}`;
  if (!HTTP_URL.test(url)) {
    if (SCHEME.test(url)) return { problem: `is not an http or https URL` };
    return { problem: base === null ? `is a relative path; give imageBaseUrl to read it as a URL` : `is not an http or https URL` };
  }
  const length = lengthOver(url, IMAGE_LIMITS.length);
  if (length) return { problem: `is ${length} characters long; the limit is ${IMAGE_LIMITS.length}` };
  try {
    const parsed = new URL(url);
    if (!parsed.hostname) return { problem: "has no host" };
  } catch {
    return { problem: "is not a valid URL" };
  }
  return { value: url };
}

/** The images read from cells (each may hold several), in order, repeats dropped; each one left out with why. */
export interface ReadImages {
  value: string[];
  warnings: string[];
}

export function readImages(cells: readonly string[], base: string | null = null, label = "image"): ReadImages {
  const value: string[] = [];
  const warnings: string[] = [];
  for (const cell of cells) {
    for (const given of cell.split(IMAGE_SEPARATORS)) {
      if (!given) continue;
      const read = readImageUrl(given, base);
      if ("problem" in read) warnings.push(`${label} ${shown(given)} ${read.problem}; it was left out`);
      else if (!value.includes(read.value)) value.push(read.value);
    }
  }
  if (value.length > IMAGE_LIMITS.count) {
    warnings.push(`${label}s: ${value.length} given; the first ${IMAGE_LIMITS.count} were kept`);
    value.length = IMAGE_LIMITS.count;
  }
  return { value, warnings };
}

/** Shopify's option of a product that has one variant: no option at all. */
const NO_OPTION = { name: "title", value: "default title" };

/**
 * A product's options from its name and value cells, in order: an option with a value needs a
 * name; an option named without a value is none; names are distinct (in any case).
 */
export function readOptions(pairs: readonly (readonly [name: string, value: string])[]): Read<ProductOption[]> {
  const options: ProductOption[] = [];
  for (const [at, [rawName, rawValue]] of pairs.entries()) {
    const [name, value] = [rawName.trim(), rawValue.trim()];
    if (!value) continue;
    if (!name) return { problem: `option ${at + 1} has the value ${shown(value)} but no name` };
    if (name.toLowerCase() === NO_OPTION.name && value.toLowerCase() === NO_OPTION.value) continue;
    const long = lengthOver(name, OPTION_LIMITS.length) ? name : lengthOver(value, OPTION_LIMITS.length) ? value : null;
    if (long !== null) return { problem: `option ${at + 1} ${shown(long)} is longer than ${OPTION_LIMITS.length} characters` };
    if (options.some((option) => option.name.toLowerCase() === name.toLowerCase())) return { problem: `option ${shown(name)} is named twice` };
    options.push({ name, value });
  }
  if (options.length > OPTION_LIMITS.count) return { problem: `has ${options.length} options; the limit is ${OPTION_LIMITS.count}` };
  return { value: options };
}
