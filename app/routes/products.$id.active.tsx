import type { ActionFunctionArgs } from "@remix-run/node";
import { refusalMessage } from "~/lib/action-result";
import { productsHref } from "~/lib/product-filters";
import { redirectWithToast } from "~/lib/toast.server";

/** A row's active switch: changes the one flag and comes back to the same list, in place. */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const back = productsHref(new URL(request.url).search);
  const active = (await request.formData()).get("active") === "true";
  try {
    const product = await context.trpc.products.update({ id: params.id ?? "", active });
    return redirectWithToast(
      back,
      { message: `${product.sku} is now ${product.active ? "active" : "inactive"}.`, tone: "success" },
      { replace: true },
    );
  } catch (error) {
    return redirectWithToast(back, { message: refusalMessage(error), tone: "error" }, { replace: true });
  }
}
