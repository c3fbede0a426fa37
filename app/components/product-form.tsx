import { Form, Link, useFetcher, useNavigation } from "@remix-run/react";
import { useEffect, useId, useRef, useState, type ChangeEvent, type InputHTMLAttributes } from "react";
import { useCurrency } from "~/lib/use-currency";
import { FieldError, FormError, invalidProps } from "~/components/field-errors";
import { ImageGallery } from "~/components/image-gallery";
import { formRefusal } from "~/lib/form-refusal";
import type { FieldErrors } from "~/lib/field-errors";
import type { DescriptionPreview } from "../../server/products/description-html";
import { FIELD_LIMITS } from "../../server/products/product-rules.schema";
import { COMMERCE_FIELD_SPECS, COMMERCE_FIELDS, OPTION_TARGETS, type CommerceField } from "../../server/products/commerce-fields.schema";
import type { ProductJson } from "../../server/products/product-json";
import { useFields } from "~/lib/use-fields";
import { ATTRIBUTE_PREFIX, attributeTarget } from "../../server/products/custom-fields/attribute-target.schema";
import { fieldValueText } from "../../server/products/custom-fields/field-values.schema";

/** The form's own route answers this intent with a preview of the posted description, saving nothing. */
export const DESCRIPTION_PREVIEW_INTENT = "preview-description";

/** How long typing pauses before the preview is asked for. */
const PREVIEW_DELAY_MS = 300;

/** Every commerce field but the lists is one text input posted as it was typed. */
type ListField = "tags" | "options" | "images";
const LIST_FIELDS: readonly CommerceField[] = ["tags", "options", "images"];
const COMMERCE_TEXT_FIELDS = COMMERCE_FIELDS.filter((field): field is Exclude<CommerceField, ListField> => !LIST_FIELDS.includes(field));

/** A product as the form posts it: a blank commerce field is empty, tags are written with commas. */
export const productFromForm = (form: FormData) => ({
  sku: String(form.get("sku") ?? ""),
  name: String(form.get("name") ?? ""),
  description: withLineBreaks(String(form.get("description") ?? ""), form.get("lineBreaks")),
  active: form.get("active") === "on",
  ...Object.fromEntries(COMMERCE_TEXT_FIELDS.map((field) => [field, String(form.get(field) ?? "")])),
  tags: String(form.get("tags") ?? "").split(","),
  options: OPTION_TARGETS.map((option) => ({ name: String(form.get(option.name) ?? ""), value: String(form.get(option.value) ?? "") })).filter(
    (option) => option.name.trim() || option.value.trim(),
  ),
  images: postedImages(form),
  attributes: attributesFromForm(form),
});

/** The gallery's URLs in order (each an `images` input), and what the add field holds, as if added. */
const postedImages = (form: FormData) => form.getAll("images").flatMap((value) => String(value).split(/\s+/).filter(Boolean));

/** A refused product form's inline errors and what was posted, its images all of them (one per line). */
export function productFormRefusal(error: unknown, form: FormData) {
  const refusal = formRefusal(error, form);
  return { ...refusal, values: { ...refusal.values, images: postedImages(form).join("\n") } };
}

/** The custom fields as posted (`attributes.<key>` inputs): a blank one has no value (an edit clears it). */
function attributesFromForm(form: FormData): Record<string, string | null> {
  const attributes: Record<string, string | null> = {};
  for (const [name, value] of form) {
    if (!name.startsWith(ATTRIBUTE_PREFIX) || typeof value !== "string") continue;
    attributes[name.slice(ATTRIBUTE_PREFIX.length)] = value.trim() === "" ? null : value;
  }
  return attributes;
}

/**
 * How a stored description writes its line breaks. A browser posts a textarea's line breaks as CR LF
 * when it submits the form itself and as LF through a script, so a save that left the description
 * alone would rewrite what the file said; the form says how they were written, and they are put back so.
 */
function lineBreaksOf(text: string): "lf" | "crlf" | "mixed" {
  if (!text.includes("\r")) return "lf";
  return /\r(?!\n)|(?<!\r)\n/.test(text) ? "mixed" : "crlf";
}

// Mixed ones cannot be put back as they were: they stay as posted. Without a stored description, LF.
function withLineBreaks(posted: string, stored: FormDataEntryValue | null): string {
  if (stored === "mixed") return posted;
  return posted.replace(/\r\n?|\n/g, stored === "crlf" ? "\r\n" : "\n");
}

export function ProductForm({
  product,
  errors,
  values,
  cancelHref,
  savedPreview,
}: {
  product?: ProductJson;
  errors?: FieldErrors;
  values?: Record<string, string>;
  cancelHref: string;
  /**
   * Given, the form previews its description (its route's action answers DESCRIPTION_PREVIEW_INTENT):
   * the saved description's safe markup when it holds HTML, else null.
   */
  savedPreview?: string | null;
}) {
  const busy = useNavigation().state === "submitting";
  const preview = useDescriptionPreview(savedPreview ?? null);
  // Beside the source only when it opens with a preview: one appearing later goes below, without a jump.
  const sideBySide = typeof savedPreview === "string";
  const value = (field: "sku" | "name" | "description") => values?.[field] ?? product?.[field] ?? "";
  const invalid = (field: string) => invalidProps(errors, field);
  return (
    <Form method="post" className="product-form" replace>
      <FormError errors={errors} />
      <label>
        SKU
        <input name="sku" defaultValue={value("sku")} required maxLength={FIELD_LIMITS.sku} autoComplete="off" {...invalid("sku")} />
      </label>
      <FieldError errors={errors} field="sku" />
      <label>
        Name
        <input name="name" defaultValue={value("name")} required maxLength={FIELD_LIMITS.name} {...invalid("name")} />
      </label>
      <FieldError errors={errors} field="name" />
      <div className={sideBySide ? "description-field side-by-side" : "description-field"}>
        <label>
          Description
          <textarea
            name="description"
            defaultValue={value("description")}
            rows={sideBySide ? 8 : 4}
            maxLength={FIELD_LIMITS.description}
            onChange={savedPreview === undefined ? undefined : preview.follow}
            {...invalid("description")}
          />
        </label>
        {preview.shown ? <RenderedDescription html={preview.html} live={preview.live} busy={preview.busy} /> : null}
      </div>
      {product ? <input type="hidden" name="lineBreaks" value={lineBreaksOf(product.description)} /> : null}
      <FieldError errors={errors} field="description" />
      <label className="checkbox">
        <input type="checkbox" name="active" defaultChecked={values ? values.active === "on" : (product?.active ?? true)} /> Active
      </label>
      <CommerceFields product={product} values={values} errors={errors} />
      <VariantFields product={product} values={values} errors={errors} />
      <CustomFields product={product} values={values} errors={errors} />
      <div className="dialog-actions">
        <Link to={cancelHref} className="button" replace>
          Cancel
        </Link>
        <button type="submit" className="button primary" disabled={busy}>
          {product ? "Save changes" : "Create product"}
        </button>
      </div>
    </Form>
  );
}

/** The commerce fields, as a shop sells the product: each with its own inline error. */
function CommerceFields({ product, values, errors }: { product?: ProductJson; values?: Record<string, string>; errors?: FieldErrors }) {
  const currency = useCurrency();
  const inCurrency = currency ? ` (${currency})` : "";
  const stored = (field: CommerceField) => {
    const value = product?.[field];
    return Array.isArray(value) ? value.join(", ") : value == null ? "" : String(value);
  };
  const field = (name: CommerceField, label: string, props: InputHTMLAttributes<HTMLInputElement> = {}) => (
    <div className="form-field">
      <label>
        {label}
        <input name={name} defaultValue={values?.[name] ?? stored(name)} autoComplete="off" {...props} {...invalidProps(errors, name)} />
      </label>
      <FieldError errors={errors} field={name} />
    </div>
  );
  return (
    <fieldset className="commerce-fields">
      <legend>Selling</legend>
      {field("price", `Price${inCurrency}`, { inputMode: "decimal" })}
      {field("compareAtPrice", `Compare-at price${inCurrency}`, { inputMode: "decimal" })}
      {field("stock", "Stock", { inputMode: "numeric" })}
      {field("barcode", "Barcode (GTIN, EAN, UPC)", { maxLength: COMMERCE_FIELD_SPECS.barcode.max })}
      {field("weightGrams", "Weight (g)", { inputMode: "decimal" })}
      {field("brand", "Brand", { maxLength: COMMERCE_FIELD_SPECS.brand.max })}
      {field("category", "Category (e.g. Apparel > Shirts)", { maxLength: COMMERCE_FIELD_SPECS.category.max })}
      {field("tags", "Tags, separated by commas")}
    </fieldset>
  );
}

/** How a shop shows the product: the group its variants share, its options, its images. */
function VariantFields({ product, values, errors }: { product?: ProductJson; values?: Record<string, string>; errors?: FieldErrors }) {
  const optionAt = (at: number, part: "name" | "value") => product?.options[at]?.[part] ?? "";
  return (
    <fieldset className="variant-fields">
      <legend>Variant and images</legend>
      <div className="form-field">
        <label>
          Group (shared by its variants, such as a handle)
          <input
            name="group"
            defaultValue={values?.group ?? product?.group ?? ""}
            maxLength={COMMERCE_FIELD_SPECS.group.max}
            autoComplete="off"
            {...invalidProps(errors, "group")}
          />
        </label>
        <FieldError errors={errors} field="group" />
      </div>
      <div className="option-pairs" role="group" aria-label="Options">
        {OPTION_TARGETS.map((option, at) => (
          <div className="option-pair" key={option.name}>
            <label>
              Option {at + 1} (such as Size)
              <input name={option.name} defaultValue={values?.[option.name] ?? optionAt(at, "name")} autoComplete="off" />
            </label>
            <label>
              Option {at + 1} value
              <input name={option.value} defaultValue={values?.[option.value] ?? optionAt(at, "value")} autoComplete="off" />
            </label>
          </div>
        ))}
        <FieldError errors={errors} field="options" />
      </div>
      <ImageGallery initial={values?.images !== undefined ? values.images.split("\n").filter(Boolean) : (product?.images ?? [])} errors={errors} />
    </fieldset>
  );
}

const BOOLEAN_CHOICES = [
  { value: "true", label: "Yes" },
  { value: "false", label: "No" },
];

/** The team's own fields (the Fields page), each as its type is best entered, with its inline error. */
function CustomFields({ product, values, errors }: { product?: ProductJson; values?: Record<string, string>; errors?: FieldErrors }) {
  const fields = useFields();
  if (!fields.length) return null;
  return (
    <fieldset className="commerce-fields custom-fields">
      <legend>Your fields</legend>
      {fields.map((field) => {
        const name = attributeTarget(field.key);
        const posted = values?.[name];
        const given = posted ?? fieldValueText(product?.attributes[field.key]);
        const label = `${field.label}${field.required ? " (required)" : ""}`;
        const props = { name, defaultValue: given, ...invalidProps(errors, name) };
        return (
          <div className="form-field" key={field.key}>
            <label>
              {label}
              {field.type === "choice" || field.type === "boolean" ? (
                <select {...props}>
                  <option value="">—</option>
                  {(field.type === "boolean" ? BOOLEAN_CHOICES : (field.options ?? []).map((option) => ({ value: option, label: option }))).map(
                    (option) => (
                      <option key={option.value} value={option.value}>
                        {option.label}
                      </option>
                    ),
                  )}
                </select>
              ) : (
                <input
                  {...props}
                  type={field.type === "date" ? "date" : field.type === "url" ? "url" : "text"}
                  inputMode={field.type === "number" ? "decimal" : field.type === "integer" ? "numeric" : undefined}
                  placeholder={field.type === "list" ? "separated by commas" : undefined}
                  autoComplete="off"
                />
              )}
            </label>
            <FieldError errors={errors} field={name} />
          </div>
        );
      })}
    </fieldset>
  );
}

/**
 * The description as a storefront would render it, beside its source: the saved one as the page
 * loads, then, once scripts run, what is typed (each pause sends it to the route's action, which
 * sanitizes it with the server's library: nothing of it ships to the browser).
 */
function useDescriptionPreview(saved: string | null) {
  const fetcher = useFetcher<{ preview?: DescriptionPreview }>();
  const [live, setLive] = useState(false);
  const [everHtml, setEverHtml] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    setLive(true);
    return () => clearTimeout(timer.current);
  }, []);
  const answer = fetcher.data?.preview;
  useEffect(() => {
    if (answer?.isHtml) setEverHtml(true);
  }, [answer]);
  const follow = (event: ChangeEvent<HTMLTextAreaElement>) => {
    const description = event.currentTarget.value;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => fetcher.submit({ intent: DESCRIPTION_PREVIEW_INTENT, description }, { method: "post" }), PREVIEW_DELAY_MS);
  };
  // Once shown it stays, so taking a tag apart while typing does not make the dialog jump.
  return { shown: saved !== null || everHtml, html: answer?.html ?? saved ?? "", live, busy: fetcher.state !== "idle", follow };
}

function RenderedDescription({ html, live, busy }: { html: string; live: boolean; busy: boolean }) {
  const titleId = useId();
  return (
    <div className="description-preview" role="region" aria-labelledby={titleId} aria-busy={busy}>
      <p className="preview-title" id={titleId}>
        {live ? "Preview" : "Preview of the saved description"}
      </p>
      {/* Sanitized on the server (server/products/description-html.ts): formatting only, no scripts, styles or images. */}
      <div className="rendered-description" dangerouslySetInnerHTML={{ __html: html }} />
    </div>
  );
}
