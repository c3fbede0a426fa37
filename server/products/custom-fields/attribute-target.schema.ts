/** A custom field as a mapping, a review and the export name it: `attributes.<key>` (CONTRACT.md). */
export const ATTRIBUTE_PREFIX = "attributes.";
export type AttributeTarget = `attributes.${string}`;

/** A field key's shape (custom-field.schema.ts checks the same when a field is defined). */
const ATTRIBUTE_TARGET = /^attributes\.[a-z][a-z0-9_]{0,62}$/;
export const isAttributeTarget = (value: string): value is AttributeTarget => ATTRIBUTE_TARGET.test(value);
export const attributeTarget = (key: string): AttributeTarget => `${ATTRIBUTE_PREFIX}${key}`;
export const attributeKeyOf = (target: AttributeTarget) => target.slice(ATTRIBUTE_PREFIX.length);
