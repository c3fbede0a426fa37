import { useRouteLoaderData } from "@remix-run/react";
import type { loader as rootLoader } from "~/root";
import type { FieldJson } from "../../server/products/custom-fields/custom-fields";
import { FIELD_LABELS, ATTRIBUTE_PREFIX } from "../../server/mappings/mapping.schema";

export type CustomField = FieldJson;

const NONE: CustomField[] = [];

/** The team's own fields (fields.list), as the root route loaded them (none on an error page or before signing in). */
export const useFields = (): CustomField[] => useRouteLoaderData<typeof rootLoader>("root")?.fields ?? NONE;

/** A mapping target's name as a person reads it: a built-in field's label, or a custom field's own. */
export function targetLabel(target: string, fields: readonly CustomField[]): string {
  if (target.startsWith(ATTRIBUTE_PREFIX)) {
    const key = target.slice(ATTRIBUTE_PREFIX.length);
    return fields.find((field) => field.key === key)?.label ?? key;
  }
  return (FIELD_LABELS as Record<string, string>)[target] ?? target;
}

/** A product's value of a field named as a mapping names it (`price`, `attributes.material`). */
export function valueOfTarget<P extends { attributes: Record<string, unknown> }>(product: P | null | undefined, target: string): unknown {
  if (!product) return undefined;
  if (target.startsWith(ATTRIBUTE_PREFIX)) return product.attributes[target.slice(ATTRIBUTE_PREFIX.length)];
  return (product as unknown as Record<string, unknown>)[target];
}
