import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, type ShouldRevalidateFunction } from "@remix-run/react";
import { DESCRIPTION_PREVIEW_INTENT, ProductForm, productFormRefusal, productFromForm } from "~/components/product-form";
import { LastChange } from "~/components/last-change";
import { RouteDialog } from "~/components/route-dialog";
import { pageData } from "~/lib/page-errors.server";
import { productsHref } from "~/lib/product-filters";
import { redirectWithToast } from "~/lib/toast.server";
import { descriptionPreview } from "../../server/products/description-html";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const product = await pageData(() => context.trpc.products.get({ id: params.id ?? "" }));
  const { importId } = product.lastChange;
  const [source] = importId ? await context.trpc.imports.filenames({ ids: [importId] }) : [];
  // What is stored stays exactly what the file said; the dialog previews it made safe.
  const { html, isHtml } = descriptionPreview(product.description);
  return { product, filename: source?.filename, savedPreview: isHtml ? html : null };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  if (form.get("intent") === DESCRIPTION_PREVIEW_INTENT) return { preview: descriptionPreview(String(form.get("description") ?? "")) };
  try {
    const product = await context.trpc.products.update({ id: params.id ?? "", ...productFromForm(form) });
    return redirectWithToast(productsHref(new URL(request.url).search), { message: `Saved ${product.sku}.`, tone: "success" });
  } catch (error) {
    return productFormRefusal(error, form);
  }
}

// A preview changes nothing: neither this product nor the list under the dialog is loaded again.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === DESCRIPTION_PREVIEW_INTENT ? false : defaultShouldRevalidate;

export default function EditProduct() {
  const { product, filename, savedPreview } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const refused = answer && "errors" in answer ? answer : undefined;
  const back = productsHref(useLocation().search);
  return (
    <RouteDialog title={`Edit ${product.sku}`} backTo={back}>
      <p className="dialog-note">
        Last change: <LastChange change={product.lastChange} filename={filename} />
      </p>
      <ProductForm product={product} errors={refused?.errors} values={refused?.values} cancelHref={back} savedPreview={savedPreview} />
    </RouteDialog>
  );
}
