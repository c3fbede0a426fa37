import { fieldErrorsFrom, type FieldErrors } from "~/lib/field-errors";

/** An endpoint as the webhook form posts it. */
export const webhookFromForm = (form: FormData) => ({
  url: String(form.get("url") ?? ""),
  events: form.getAll("events").map(String),
  maxInFlight: String(form.get("maxInFlight") ?? ""),
});

/** The form's "requests at once" as the API takes it (left empty: the default, or unchanged). */
export const maxInFlightOf = (value: string) => (value.trim() === "" ? undefined : Number(value));

/** A refused webhook form, to show again as it was with the errors beside it. */
export function webhookFormRefusal(
  error: unknown,
  form: FormData,
): { errors: FieldErrors; values: { url: string; events: string[]; maxInFlight: string } } {
  const errors = fieldErrorsFrom(error);
  if (!errors) throw error;
  return { errors, values: webhookFromForm(form) };
}
