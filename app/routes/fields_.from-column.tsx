import type { ActionFunctionArgs } from "@remix-run/node";
import { fieldFromForm } from "~/components/field-form";
import { formRefusal } from "~/lib/form-refusal";

/** The mapping step's "New field from this column": defines the field and answers it (or the form's errors), for the step to map the column to. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  try {
    return { field: await context.trpc.fields.create(fieldFromForm(form)), column: String(form.get("column") ?? "") };
  } catch (error) {
    return formRefusal(error, form);
  }
}
