import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { ProductForm, productFromForm } from "~/components/product-form";
import { LastChange } from "~/components/last-change";
import { RouteDialog } from "~/components/route-dialog";
import { formRefusal } from "~/lib/form-refusal";
import { pageData } from "~/lib/page-errors.server";
import { productsHref } from "~/lib/product-filters";
import { redirectWithToast } from "~/lib/toast.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const product = await pageData(() => context.trpc.products.get({ id: params.id ?? "" }));
  const { importId } = product.lastChange;
  const [source] = importId ? await context.trpc.imports.filenames({ ids: [importId] }) : [];
  return { product, filename: source?.filename };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  try {
    const product = await context.trpc.products.update({ id: params.id ?? "", ...productFromForm(form) });
    return redirectWithToast(productsHref(new URL(request.url).search), { message: `Saved ${product.sku}.`, tone: "success" });
  } catch (error) {
    return formRefusal(error, form);
  }
}

export default function EditProduct() {
  const { product, filename } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const back = productsHref(useLocation().search);
  return (
    <RouteDialog title={`Edit ${product.sku}`} backTo={back}>
      <p className="dialog-note">
        Last change: <LastChange change={product.lastChange} filename={filename} />
      </p>
      <ProductForm product={product} errors={refused?.errors} values={refused?.values} cancelHref={back} />
    </RouteDialog>
  );
}
