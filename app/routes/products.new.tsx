import type { ActionFunctionArgs } from "@remix-run/node";
import { useActionData, useLocation } from "@remix-run/react";
import { ProductForm, productFormRefusal, productFromForm } from "~/components/product-form";
import { RouteDialog } from "~/components/route-dialog";
import { productsHref } from "~/lib/product-filters";
import { redirectWithToast } from "~/lib/toast.server";

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  try {
    const product = await context.trpc.products.create(productFromForm(form));
    return redirectWithToast(productsHref(new URL(request.url).search), { message: `Created ${product.sku}.`, tone: "success" });
  } catch (error) {
    return productFormRefusal(error, form);
  }
}

export default function NewProduct() {
  const refused = useActionData<typeof action>();
  const back = productsHref(useLocation().search);
  return (
    <RouteDialog title="Add product" backTo={back}>
      <ProductForm errors={refused?.errors} values={refused?.values} cancelHref={back} />
    </RouteDialog>
  );
}
