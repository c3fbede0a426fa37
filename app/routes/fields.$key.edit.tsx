import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { FieldForm, fieldFromForm } from "~/components/field-form";
import { RouteDialog } from "~/components/route-dialog";
import { formRefusal } from "~/lib/form-refusal";
import { pageData } from "~/lib/page-errors.server";
import { redirectWithToast } from "~/lib/toast.server";
import { fieldByKey } from "~/lib/field-by-key.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  return pageData(async () => ({ field: await fieldByKey(context, params.key) }));
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  try {
    const { key: _key, ...changes } = fieldFromForm(form);
    const field = await context.trpc.fields.update({
      ...changes,
      key: params.key ?? "",
      options: changes.type === "choice" ? changes.options : null,
    });
    return redirectWithToast("/fields", { message: `Saved the field ${field.label}.`, tone: "success" });
  } catch (error) {
    return formRefusal(error, form);
  }
}

export default function EditField() {
  const { field } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  return (
    <RouteDialog title={`Edit ${field.label}`} backTo="/fields">
      <FieldForm field={field} errors={refused?.errors} values={refused?.values} cancelHref="/fields" />
    </RouteDialog>
  );
}
