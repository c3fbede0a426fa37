import { Form, Link, useNavigation } from "@remix-run/react";
import type { FieldErrors } from "~/lib/field-errors";
import type { ProductJson } from "../../server/products/product.schema";

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
  const invalid = (field: keyof FieldErrors) => (errors?.[field] ? { "aria-invalid": true, "aria-describedby": `${field}-error` } : {});
  return (
    <Form method="post" className="product-form" replace>
      <input type="hidden" name="intent" value={product ? "update" : "create"} />
      {product ? <input type="hidden" name="id" value={product.id} /> : null}
      {errors?.form ? (
        <p className="error" role="alert">
          {errors.form}
        </p>
      ) : null}
      <label>
        SKU
        <input name="sku" defaultValue={value("sku")} required maxLength={255} autoComplete="off" {...invalid("sku")} />
      </label>
      {errors?.sku ? (
        <p className="field-error" id="sku-error">
          {errors.sku}
        </p>
      ) : null}
      <label>
        Name
        <input name="name" defaultValue={value("name")} required maxLength={1000} {...invalid("name")} />
      </label>
      {errors?.name ? (
        <p className="field-error" id="name-error">
          {errors.name}
        </p>
      ) : null}
      <label>
        Description
        <textarea name="description" defaultValue={value("description")} rows={4} maxLength={100_000} {...invalid("description")} />
      </label>
      {errors?.description ? (
        <p className="field-error" id="description-error">
          {errors.description}
        </p>
      ) : null}
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
