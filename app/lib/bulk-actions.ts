import { formatCount } from "~/lib/format";
import { productDialogHref } from "~/lib/product-filters";
import { COMMERCE_FIELD_SPECS, COMMERCE_FIELDS, isCommerceField, type CommerceField } from "../../server/products/commerce-fields.schema";

/**
 * What the products page can do to many products at once, in the toolbar's order: the button
 * (`verb…`), what its dialog asks for besides the confirmation, and how its toast says what
 * happened ("Deactivated 312 products. 4 were already inactive.").
 */
export const BULK_INTENTS = {
  activate: { verb: "Activate", asks: "confirmation", set: { active: true }, done: "Activated", unchanged: were("already active") },
  deactivate: { verb: "Deactivate", asks: "confirmation", set: { active: false }, done: "Deactivated", unchanged: were("already inactive") },
  setField: { verb: "Set a field", asks: "field", set: null, done: "Set", unchanged: "already had that value" },
  addTags: { verb: "Add tags", asks: "tags", set: null, done: "Added tags to", unchanged: "had those tags already" },
  removeTags: { verb: "Remove tags", asks: "tags", set: null, done: "Removed tags from", unchanged: "had none of those tags" },
  delete: { verb: "Delete", asks: "confirmation", set: null, done: "Deleted", unchanged: null },
} as const;
export type BulkIntent = keyof typeof BULK_INTENTS;

export const isBulkIntent = (value: unknown): value is BulkIntent => typeof value === "string" && Object.hasOwn(BULK_INTENTS, value);

/** The selection's scope: the rows' ids, or every product matching the list's filters. */
export const MATCHING_SCOPE = "matching";

/** The bulk dialog's route under the products page (app/routes/products.bulk.tsx). */
export const BULK_DIALOG_PATH = productDialogHref("bulk", "");

/** "1 product", "12,408 products". */
export const productsLabel = (count: number) => `${formatCount(count)} product${count === 1 ? "" : "s"}`;

/** The fields "Set a field…" offers (active has buttons of its own), named as the product form names them. */
export const SETTABLE_FIELDS = COMMERCE_FIELDS.map((field) => ({ field, label: COMMERCE_FIELD_SPECS[field].label }));

/** The names of the dialog's form fields. */
export const BULK_FORM_FIELDS = { field: "field", value: "value", tags: "tags" } as const;

/** Tags as a person types them: separated by commas (the server trims them and drops repeats). */
const typedTags = (text: string) =>
  text
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);

/** "was already active" for one product, "were already active" for more. */
function were(state: string) {
  return { one: `was ${state}`, many: `were ${state}` };
}

/** What products.bulkUpdate is asked to change. */
export type BulkChangeInput =
  { set: { active: boolean } | { [F in CommerceField]?: string | string[] | null } } | { addTags: string[] } | { removeTags: string[] };

/**
 * The change the dialog's form asks for, or what is missing from it. A value is sent as typed,
 * for the server to read by the rules of products.update; left empty, it clears the field.
 */
export function bulkChangeOf(intent: Exclude<BulkIntent, "delete">, form: FormData): { change: BulkChangeInput } | { problem: string } {
  const spec = BULK_INTENTS[intent];
  if (spec.set) return { change: { set: spec.set } };
  if (intent === "setField") {
    const field = String(form.get(BULK_FORM_FIELDS.field) ?? "");
    if (!isCommerceField(field)) return { problem: "Choose the field to set." };
    const typed = String(form.get(BULK_FORM_FIELDS.value) ?? "").trim();
    const value = typed === "" ? null : field === "tags" ? typedTags(typed) : typed;
    return { change: { set: { [field]: value } } };
  }
  const tags = typedTags(String(form.get(BULK_FORM_FIELDS.tags) ?? ""));
  if (tags.length === 0) return { problem: "Type at least one tag." };
  return { change: intent === "addTags" ? { addTags: tags } : { removeTags: tags } };
}

/** The toast after a bulk action: what it did, what it left as it was, what was gone. */
export function bulkOutcome(intent: BulkIntent, counts: { changed: number; unchanged?: number; unknown: number }, form?: FormData): string {
  const spec = BULK_INTENTS[intent];
  const parts = [`${doneText(intent, form)} ${productsLabel(counts.changed)}.`];
  if (counts.unchanged && spec.unchanged) {
    const said = typeof spec.unchanged === "string" ? spec.unchanged : spec.unchanged[counts.unchanged === 1 ? "one" : "many"];
    parts.push(`${formatCount(counts.unchanged)} ${said}.`);
  }
  if (counts.unknown) parts.push(`${formatCount(counts.unknown)} no longer existed.`);
  return parts.join(" ");
}

/** "Set price on", "Cleared brand on": the field by its name, as the form offered it. */
function doneText(intent: BulkIntent, form?: FormData): string {
  if (intent !== "setField") return BULK_INTENTS[intent].done;
  const field = String(form?.get(BULK_FORM_FIELDS.field) ?? "");
  const label = isCommerceField(field) ? COMMERCE_FIELD_SPECS[field].label : "the field";
  const cleared = String(form?.get(BULK_FORM_FIELDS.value) ?? "").trim() === "";
  return `${cleared ? "Cleared" : "Set"} ${label.charAt(0).toLowerCase()}${label.slice(1)} on`;
}
