import { Form, Link, useNavigation } from "@remix-run/react";
import { FieldError, FormError, invalidProps } from "~/components/field-errors";
import type { FieldErrors } from "~/lib/field-errors";
import type { ProductJson } from "../../server/products/product.schema";

/** A product as the form posts it. */
export const productFromForm = (form: FormData) => ({
  sku: String(form.get("sku") ?? ""),
  name: String(form.get("name") ?? ""),
  description: String(form.get("description") ?? ""),
  active: form.get("active") === "on",
});

export function ProductForm({
  product,
  errors,
  values,
  cancelHref,
}: {
  product?: ProductJson;
  errors?: FieldErrors;
  values?: Record<string, string>;
  cancelHref: string;
}) {
  const busy = useNavigation().state === "submitting";
  const value = (field: "sku" | "name" | "description") => values?.[field] ?? product?.[field] ?? "";
  const invalid = (field: string) => invalidProps(errors, field);
  return (
    <Form method="post" className="product-form" replace>
      <FormError errors={errors} />
      <label>
        SKU
        <input name="sku" defaultValue={value("sku")} required maxLength={255} autoComplete="off" {...invalid("sku")} />
      </label>
      <FieldError errors={errors} field="sku" />
      <label>
        Name
        <input name="name" defaultValue={value("name")} required maxLength={1000} {...invalid("name")} />
      </label>
      <FieldError errors={errors} field="name" />
      <label>
        Description
        <textarea name="description" defaultValue={value("description")} rows={4} maxLength={100_000} {...invalid("description")} />
      </label>
      <FieldError errors={errors} field="description" />
      <label className="checkbox">
        <input type="checkbox" name="active" defaultChecked={values ? values.active === "on" : (product?.active ?? true)} /> Active
      </label>
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
