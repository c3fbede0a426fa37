import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { RouteDialog } from "~/components/route-dialog";
import { pageData } from "~/lib/page-errors.server";
import { productsHref } from "~/lib/product-filters";
import { redirectWithToast } from "~/lib/toast.server";
import { refusalMessage } from "~/lib/action-result";

export async function loader({ params, context }: LoaderFunctionArgs) {
  return pageData(() => context.trpc.products.get({ id: params.id ?? "" }));
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const back = productsHref(new URL(request.url).search);
  const sku = String((await request.formData()).get("sku") ?? "the product");
  try {
    await context.trpc.products.delete({ id: params.id ?? "" });
    return redirectWithToast(back, { message: `Deleted ${sku}.`, tone: "success" });
  } catch (error) {
    return redirectWithToast(back, { message: refusalMessage(error), tone: "error" });
  }
}

export default function DeleteProduct() {
  const product = useLoaderData<typeof loader>();
  const back = productsHref(useLocation().search);
  return (
    <RouteDialog title={`Delete ${product.sku}?`} backTo={back}>
      <p>The product is removed from the catalog. This cannot be undone.</p>
      <Form method="post" className="dialog-actions" replace>
        <input type="hidden" name="sku" value={product.sku} />
        <Link to={back} className="button" replace>
          Cancel
        </Link>
        <button type="submit" className="button danger">
          Delete {product.sku}
        </button>
      </Form>
    </RouteDialog>
  );
}
