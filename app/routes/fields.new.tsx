import type { ActionFunctionArgs } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { FieldForm, fieldFromForm } from "~/components/field-form";
import { RouteDialog } from "~/components/route-dialog";
import { formRefusal } from "~/lib/form-refusal";
import { redirectWithToast } from "~/lib/toast.server";

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  try {
    const field = await context.trpc.fields.create(fieldFromForm(form));
    return redirectWithToast("/fields", { message: `Added the field ${field.label} (attributes.${field.key}).`, tone: "success" });
  } catch (error) {
    return formRefusal(error, form);
  }
}

export default function NewField() {
  const refused = useActionData<typeof action>();
  return (
    <RouteDialog title="Add field" backTo="/fields">
      <FieldForm errors={refused?.errors} values={refused?.values} cancelHref="/fields" />
    </RouteDialog>
  );
}
