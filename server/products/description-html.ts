import sanitizeHtml from "sanitize-html";
import { FIELD_LIMITS } from "./product-rules.schema.js";

/**
 * Descriptions arrive as HTML from every platform's export (Shopify's `Body (HTML)`, WooCommerce's
 * `Description`, Magento's `description`) and are stored exactly as the file said. What a person is
 * shown is derived here: the text, for a list's excerpt, and markup safe to render, for a preview.
 */

/** A tag (`<p>`, `</p>`, `<br/>`, `<a href=…>`), a comment or a character reference; "a < b & c" holds none. */
const HTML_MARK = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>|<!--|&(?:[a-z][a-z0-9]{1,31}|#\d{1,7}|#x[0-9a-f]{1,6});/i;

export const looksLikeHtml = (text: string): boolean => HTML_MARK.test(text);

/** Elements whose content is not text a reader sees; sanitize-html drops them with what they hold. */
const NOT_TEXT = ["script", "style", "template", "noscript", "textarea", "option", "select", "xmp", "title", "iframe", "object", "svg", "math"];

/** Elements a browser lays out on lines of their own: their edges separate words. */
const BLOCKS = [
  ...["address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption", "figure", "footer"],
  ...["h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section"],
  ...["table", "tbody", "tfoot", "thead", "tr", "ul"],
];
const CELLS = ["td", "th"];
const CELL_TAG = /^<\/?t[dh]\b/i;

/**
 * With its default parser settings sanitize-html decodes every character reference it reads and
 * escapes only `&`, `<`, `>` (and `"` in attributes) when it writes: undoing those gives the text.
 */
const WRITTEN_ESCAPES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"' };
const unescapeWritten = (text: string) => text.replace(/&(?:amp|lt|gt|quot);/g, (escape) => WRITTEN_ESCAPES[escape] ?? escape);

/**
 * The text a reader sees: tags gone, character references decoded (`&nbsp;` a space), block edges
 * and `<br>` a line break, table cells a space, white space collapsed, scripts and styles dropped.
 * Text without HTML is returned as it is (its own line breaks mean what they say).
 */
export const descriptionText = (description: string): string => (looksLikeHtml(description) ? htmlText(description) : description);

function htmlText(html: string): string {
  // Only bare block and cell tags survive, so every `<` left opens one of them: text's are escaped.
  const marked = sanitizeHtml(html, { allowedTags: [...BLOCKS, ...CELLS], allowedAttributes: {}, nonTextTags: NOT_TEXT });
  return marked
    .split(/(<[^>]*>)/)
    .map((part, index) => (index % 2 === 1 ? (CELL_TAG.test(part) ? " " : "\n") : unescapeWritten(part).replace(/\s+/g, " ")))
    .join("")
    .replace(/ *\n[ \n]*/g, "\n")
    .replace(/ {2,}/g, " ")
    .trim();
}

/**
 * A list reads at most this much of each description: a page of 200 products parses in well under a
 * second even when every description is 100,000 characters, and the edit dialog shows it whole.
 */
export const EXCERPT_SOURCE_CHARS = 10_000;

/** The text of a description's beginning, for a list; "…" says there is more. */
export function descriptionExcerpt(description: string): string {
  if (description.length <= EXCERPT_SOURCE_CHARS) return descriptionText(description);
  // Neither half of a surrogate pair nor half a tag: the parser would show the rest of either as text.
  const end = /[\uD800-\uDBFF]/.test(description[EXCERPT_SOURCE_CHARS - 1] ?? "") ? EXCERPT_SOURCE_CHARS - 1 : EXCERPT_SOURCE_CHARS;
  const head = description.slice(0, end);
  return `${looksLikeHtml(description) ? htmlText(head.replace(/<[^>]*$/, "")) : head}…`;
}

/** A link in a preview leaves the app in a new tab, tells the target nothing and vouches for nothing. */
const LINK_REL = "noopener noreferrer nofollow";
const LEAVING_URL = /^(?:https?:\/\/|mailto:)/i;

const SAFE_MARKUP: sanitizeHtml.IOptions = {
  allowedTags: [
    ...["p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a"],
    ...["table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "span", "div", "blockquote", "code", "pre"],
  ],
  // No class, id or style: the page's own styles and anchors are not the description's to borrow.
  allowedAttributes: { a: ["href", "rel", "target"], td: ["colspan", "rowspan"], th: ["colspan", "rowspan"], ol: ["start"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  nonTextTags: NOT_TEXT,
  disallowedTagsMode: "discard",
  transformTags: {
    // Named, never fetched: the preview loads nothing from the network.
    img: (_tagName, attribs) => ({ tagName: "span", attribs: {}, text: attribs.alt?.trim() ? `[image: ${attribs.alt.trim()}]` : "[image]" }),
    // Relative links would lead into this app: only absolute http(s) and mailto links are kept.
    a: (_tagName, attribs) => {
      const href = attribs.href?.trim() ?? "";
      return { tagName: "a", attribs: { ...(LEAVING_URL.test(href) ? { href } : {}), rel: LINK_REL, target: "_blank" } };
    },
  },
};

/**
 * The description as markup safe to render in the app's pages: harmless formatting, tables and
 * outbound links only; images named by their alt text instead of loaded; no styles, classes, event
 * handlers, scripts, frames or forms.
 */
export const safeDescriptionHtml = (description: string): string => sanitizeHtml(description, SAFE_MARKUP);

/** A description as a page would render it, made safe, and whether it holds HTML at all (else a preview adds nothing). */
export interface DescriptionPreview {
  html: string;
  isHtml: boolean;
}

/** The preview of a description being typed; past the longest a product may keep, of what it could keep. */
export function descriptionPreview(description: string): DescriptionPreview {
  const kept = description.slice(0, FIELD_LIMITS.description);
  return { html: safeDescriptionHtml(kept), isHtml: looksLikeHtml(kept) };
}
