import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { RouteDialog } from "~/components/route-dialog";
import { refusalMessage } from "~/lib/action-result";
import { formatCount } from "~/lib/format";
import { pageData } from "~/lib/page-errors.server";
import { redirectWithToast } from "~/lib/toast.server";
import { fieldByKey } from "~/lib/field-by-key.server";
import { countWords } from "../../server/count-words";

export async function loader({ params, context }: LoaderFunctionArgs) {
  return pageData(async () => {
    const field = await fieldByKey(context, params.key);
    const { products } = await context.trpc.fields.usage({ key: field.key });
    return { field, products };
  });
}

export async function action({ params, context }: ActionFunctionArgs) {
  try {
    const { cleared } = await context.trpc.fields.delete({ key: params.key ?? "" });
    return redirectWithToast("/fields", {
      message: `Deleted the field; ${countWords(cleared, "product no longer holds a value of it", "products no longer hold a value of it")}.`,
      tone: "success",
    });
  } catch (error) {
    return redirectWithToast("/fields", { message: refusalMessage(error), tone: "error" });
  }
}

export default function DeleteField() {
  const { field, products } = useLoaderData<typeof loader>();
  return (
    <RouteDialog title={`Delete ${field.label}?`} backTo="/fields">
      <p>
        {products === 0
          ? "No product holds a value of it."
          : `${formatCount(products)} ${products === 1 ? "product holds a value" : "products hold a value"} of it; deleting the field takes ${products === 1 ? "it" : "them"} off.`}{" "}
        A file's <code>attributes.{field.key}</code> column is then no longer read.
      </p>
      <Form method="post" className="dialog-actions" replace>
        <Link to="/fields" className="button" replace>
          Cancel
        </Link>
        <button type="submit" className="button danger">
          Delete field
        </button>
      </Form>
    </RouteDialog>
  );
}
