import { HeaderColumns } from "./header-columns.js";
import { normalizeHeaderName } from "./header-name.js";
import { TARGET_FIELDS, type ColumnMapping, type TargetField } from "./mapping.schema.js";

/**
 * Header names that mean one field and nothing else, across the catalog tools people export from
 * (WooCommerce's and Akeneo's importers, Medusa, Saleor, PrestaShop, Shopware, Odoo, JTL) and the
 * words merchandisers type. Compared after `normalizeHeaderName`. Words that could mean something
 * else (`code`, `id`, `model`, `status`, `visibility`, `title` of an SEO column…) are left out: a
 * guess that picks the wrong column is worse than asking.
 */
const SYNONYMS: Record<TargetField, string[]> = {
  sku: [
    "variant sku",
    "product sku",
    "item sku",
    "product code sku",
    "item code",
    "item number",
    "item no",
    "item nr",
    "article number",
    "article no",
    "article code",
    "art nr",
    "artnr",
    "artikelnummer",
    "artikel nr",
    "product code",
    "product number",
    "product no",
    "stock code",
    "reference",
    "référence",
    "internal reference",
    "default code",
  ],
  name: [
    "product name",
    "product title",
    "item name",
    "item title",
    "title",
    "artikelname",
    "bezeichnung",
    "produktname",
    "nom",
    "nom du produit",
    "nombre",
    "post title",
  ],
  description: [
    "product description",
    "long description",
    "body",
    "body html",
    "body (html)",
    "beschreibung",
    "produktbeschreibung",
    "langbeschreibung",
    "description longue",
    "descripción",
    "post content",
  ],
  active: ["is active", "enabled", "is enabled", "published", "is published", "online", "aktiv", "actif", "activo"],
  price: [
    "variant price",
    "regular price",
    "unit price",
    "selling price",
    "sales price",
    "preis",
    "verkaufspreis",
    "prix",
    "prix de vente",
    "precio",
  ],
  compareAtPrice: [
    "compare at price",
    "variant compare at price",
    "compare price",
    "original price",
    "msrp",
    "rrp",
    "uvp",
    "streichpreis",
    "prix barré",
    "prix conseillé",
  ],
  stock: [
    "quantity",
    "qty",
    "inventory",
    "inventory quantity",
    "inventory qty",
    "variant inventory qty",
    "stock quantity",
    "stock qty",
    "stock level",
    "current stock",
    "current stock level",
    "on hand",
    "bestand",
    "lagerbestand",
    "menge",
    "quantité",
    "stock disponible",
  ],
  barcode: [
    "ean",
    "gtin",
    "upc",
    "isbn",
    "ean13",
    "ean 13",
    "gtin13",
    "gtin 13",
    "upc ean",
    "product upc ean",
    "variant barcode",
    "gtin, upc, ean, or isbn",
    "global trade item number",
    "global trade number",
    "strichcode",
    "code barre",
    "code barres",
  ],
  weightGrams: [
    "weight",
    "weight grams",
    "weight g",
    "weight (g)",
    "weight kg",
    "weight (kg)",
    "weight lb",
    "weight (lb)",
    "weight lbs",
    "weight (lbs)",
    "weight oz",
    "weight (oz)",
    "variant grams",
    "weight value (grams)",
    "grams",
    "gewicht",
    "gewicht (g)",
    "gewicht (kg)",
    "gewicht kg",
    "poids",
    "poids (g)",
    "poids (kg)",
    "poids kg",
  ],
  brand: ["brands", "brand name", "vendor", "manufacturer", "marke", "hersteller", "marque", "fabricant", "marca"],
  category: ["categories", "type", "product type", "product category", "category path", "kategorie", "warengruppe", "catégorie", "categoría"],
  tags: ["tag", "keywords", "schlagworte", "schlagwörter", "étiquettes", "etiquetas"],
  group: ["handle", "url handle", "parent", "parent sku", "group", "product group", "variant group", "item group", "group id", "gruppe", "parent id"],
  images: [
    "image",
    "image url",
    "image urls",
    "images url",
    "image src",
    "picture",
    "pictures",
    "photo",
    "photos",
    "bild",
    "bilder",
    "bild url",
    "image du produit",
    "imágenes",
  ],
  option1Name: ["option 1 name", "option1 name", "attribute 1 name"],
  option1Value: ["option 1 value", "option1 value", "attribute 1 value", "attribute 1 values", "attribute 1 value(s)"],
  option2Name: ["option 2 name", "option2 name", "attribute 2 name"],
  option2Value: ["option 2 value", "option2 value", "attribute 2 value", "attribute 2 values", "attribute 2 value(s)"],
  option3Name: ["option 3 name", "option3 name", "attribute 3 name"],
  option3Value: ["option 3 value", "option3 value", "attribute 3 value", "attribute 3 values", "attribute 3 value(s)"],
};

const BY_SYNONYM = new Map<string, TargetField>(
  TARGET_FIELDS.flatMap((field) => SYNONYMS[field].map((name) => [normalizeHeaderName(name), field] as const)),
);

/** Each field's synonyms as compared, each once: looked up in the header rather than the header scanned for them. */
const SYNONYMS_AS_COMPARED = Object.fromEntries(
  TARGET_FIELDS.map((field) => [field, [...BY_SYNONYM].filter(([, meant]) => meant === field).map(([name]) => name)]),
) as Record<TargetField, string[]>;

/**
 * Each field's column by name: a column named exactly like the field first, else one unambiguous
 * synonym. A field two columns could equally be is left out (and named in `ambiguous`).
 */
export function matchHeaderNames(header: HeaderColumns | readonly string[]): { mapping: ColumnMapping; ambiguous: TargetField[] } {
  const columns = HeaderColumns.of(header);
  const mapping: ColumnMapping = {};
  const ambiguous: TargetField[] = [];
  for (const field of TARGET_FIELDS) {
    const [exact] = columns.named(field);
    if (exact !== undefined) {
      mapping[field] = columns.header[exact];
      continue;
    }
    const synonyms = SYNONYMS_AS_COMPARED[field].flatMap((name) => columns.named(name));
    if (synonyms.length === 1) mapping[field] = columns.header[synonyms[0]!];
    else if (synonyms.length > 1) ambiguous.push(field);
  }
  return { mapping, ambiguous };
}
