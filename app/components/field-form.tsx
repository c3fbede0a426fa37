import { Form, Link, useNavigation } from "@remix-run/react";
import { FieldError, FormError, invalidProps } from "~/components/field-errors";
import type { FieldErrors } from "~/lib/field-errors";
import type { CustomField } from "~/lib/use-fields";
import { FIELD_LIMITS, FIELD_TYPE_LABELS, FIELD_TYPES, type FieldType } from "../../server/products/custom-fields/field-values.schema";

/** A field as the form posts it: options one per line (only a choice field keeps them). */
export function fieldFromForm(form: FormData) {
  const type = String(form.get("type") ?? "") as FieldType;
  const options = String(form.get("options") ?? "")
    .split(/\r?\n/)
    .map((option) => option.trim())
    .filter(Boolean);
  const key = String(form.get("key") ?? "").trim();
  return {
    ...(key ? { key } : {}),
    label: String(form.get("label") ?? ""),
    type,
    options: type === "choice" ? options : undefined,
    required: form.get("required") === "on",
  };
}

/** Defining a field (key and all) or changing one (its key stays: files and integrations name it). */
export function FieldForm({
  field,
  errors,
  values,
  cancelHref,
  suggestedType,
}: {
  field?: CustomField;
  errors?: FieldErrors;
  values?: Record<string, string>;
  cancelHref: string;
  suggestedType?: FieldType;
}) {
  const busy = useNavigation().state === "submitting";
  const value = (name: "label" | "key" | "type" | "options") =>
    values?.[name] ??
    (name === "options" ? (field?.options ?? []).join("\n") : name === "type" ? (field?.type ?? suggestedType ?? "text") : (field?.[name] ?? ""));
  return (
    <Form method="post" className="product-form" replace>
      <FormError errors={errors} />
      <label>
        Label
        <input
          name="label"
          defaultValue={value("label")}
          required
          maxLength={FIELD_LIMITS.label}
          autoComplete="off"
          {...invalidProps(errors, "label")}
        />
      </label>
      <FieldError errors={errors} field="label" />
      {field ? (
        <p className="hint">
          Key: <code>attributes.{field.key}</code> (files and the API name the field by it, so it does not change)
        </p>
      ) : (
        <>
          <label>
            Key{" "}
            <span className="hint">
              (optional: made from the label; a file's column <code>attributes.key</code> fills it)
            </span>
            <input name="key" defaultValue={value("key")} pattern="[a-z][a-z0-9_]{0,62}" autoComplete="off" {...invalidProps(errors, "key")} />
          </label>
          <FieldError errors={errors} field="key" />
        </>
      )}
      <label>
        Type
        <select name="type" defaultValue={value("type")} {...invalidProps(errors, "type")}>
          {FIELD_TYPES.map((type) => (
            <option key={type} value={type}>
              {FIELD_TYPE_LABELS[type]}
            </option>
          ))}
        </select>
      </label>
      <FieldError errors={errors} field="type" />
      {field ? <p className="hint">Changing the type converts every stored value, or says which would not convert and changes nothing.</p> : null}
      <label>
        Options <span className="hint">(a choice field: one per line)</span>
        <textarea name="options" rows={4} defaultValue={value("options")} {...invalidProps(errors, "options")} />
      </label>
      <FieldError errors={errors} field="options" />
      <label className="checkbox">
        <input type="checkbox" name="required" defaultChecked={values ? values.required === "on" : (field?.required ?? false)} /> Required (a new
        product must have it)
      </label>
      <div className="dialog-actions">
        <Link to={cancelHref} className="button" replace>
          Cancel
        </Link>
        <button type="submit" className="button primary" disabled={busy}>
          {field ? "Save field" : "Add field"}
        </button>
      </div>
    </Form>
  );
}
