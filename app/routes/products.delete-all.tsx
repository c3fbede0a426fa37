import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { useState } from "react";
import { RouteDialog } from "~/components/route-dialog";
import { refusalMessage } from "~/lib/action-result";
import { formatCount } from "~/lib/format";
import { productsHref } from "~/lib/product-filters";
import { redirectWithToast } from "~/lib/toast.server";

const CONFIRMATION = "DELETE";

export async function loader({ context }: LoaderFunctionArgs) {
  const { count } = await context.trpc.products.count({});
  return { total: count };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const back = productsHref(new URL(request.url).search);
  if ((await request.formData()).get("confirmation") !== CONFIRMATION) {
    return redirectWithToast(back, { message: `Nothing was deleted: type ${CONFIRMATION} to confirm.`, tone: "error" });
  }
  try {
    const { deleted } = await context.trpc.products.deleteAll({});
    return redirectWithToast(back, { message: `Deleted all ${formatCount(deleted)} products.`, tone: "success" });
  } catch (error) {
    return redirectWithToast(back, { message: refusalMessage(error), tone: "error" });
  }
}

export default function DeleteAllProducts() {
  const { total } = useLoaderData<typeof loader>();
  const back = productsHref(useLocation().search);
  const [typed, setTyped] = useState("");
  return (
    <RouteDialog title="Delete all products?" backTo={back}>
      <p>
        All <strong>{formatCount(total)}</strong> products will be deleted. This cannot be undone.
      </p>
      <Form method="post" replace>
        <label>
          Type {CONFIRMATION} to confirm
          <input name="confirmation" autoComplete="off" value={typed} onChange={(event) => setTyped(event.target.value)} />
        </label>
        <div className="dialog-actions">
          <Link to={back} className="button" replace>
            Cancel
          </Link>
          <button type="submit" className="button danger" disabled={typed !== CONFIRMATION}>
            Delete all {formatCount(total)} products
          </button>
        </div>
      </Form>
    </RouteDialog>
  );
}
