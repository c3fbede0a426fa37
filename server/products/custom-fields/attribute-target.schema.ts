/** A custom field as a mapping, a review and the export name it: `attributes.<key>` (CONTRACT.md). */
export const ATTRIBUTE_PREFIX = "attributes.";
export type AttributeTarget = `attributes.${string}`;

/** A field key's shape (custom-field.schema.ts checks the same when a field is defined). */
const ATTRIBUTE_TARGET = /^attributes\.[a-z][a-z0-9_]{0,62}$/;
export const isAttributeTarget = (value: string): value is AttributeTarget => ATTRIBUTE_TARGET.test(value);
export const attributeTarget = (key: string): AttributeTarget => `${ATTRIBUTE_PREFIX}${key}`;
export const attributeKeyOf = (target: AttributeTarget) => target.slice(ATTRIBUTE_PREFIX.length);

/** A custom-field filter as a URL writes it: `attributes.fit=Slim`, `attributes.width.min=5`, `attributes.width.max=9`. */
export type AttributeFilterText = Record<string, string | { min?: string; max?: string }>;

const FILTER_PARAM = /^attributes\.([a-z][a-z0-9_]{0,62})(?:\.(min|max))?$/;

/** The custom-field filters among a URL's query parameters (the products page and the export read them alike); blanks left out. */
export function attributeFilterFromQuery(params: Iterable<[string, string]>): AttributeFilterText | undefined {
  const filter: AttributeFilterText = {};
  for (const [name, raw] of params) {
    const match = FILTER_PARAM.exec(name);
    const value = raw.trim();
    if (!match || !value) continue;
    const [, key, bound] = match as unknown as [string, string, "min" | "max" | undefined];
    if (!bound) filter[key] = value;
    else {
      const range = typeof filter[key] === "object" ? filter[key] : {};
      filter[key] = { ...range, [bound]: value };
    }
  }
  return Object.keys(filter).length ? filter : undefined;
}

/** The URL's query parameters of a custom-field filter, as `attributeFilterFromQuery` reads them back. */
export function attributeFilterQuery(filter: AttributeFilterText | undefined): [string, string][] {
  return Object.entries(filter ?? {}).flatMap(([key, condition]): [string, string][] =>
    typeof condition === "string"
      ? [[attributeTarget(key), condition]]
      : [
          ...(condition.min ? ([[`${attributeTarget(key)}.min`, condition.min]] as [string, string][]) : []),
          ...(condition.max ? ([[`${attributeTarget(key)}.max`, condition.max]] as [string, string][]) : []),
        ],
  );
}
