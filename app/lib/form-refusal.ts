import { fieldErrorsFrom, type FieldErrors } from "~/lib/field-errors";

/**
 * An action's answer to a refused form: the messages by field and what was typed, so the form is
 * shown again as it was with the errors beside it. A server fault is thrown on (a 500).
 */
export function formRefusal(error: unknown, form: FormData): { errors: FieldErrors; values: Record<string, string> } {
  const errors = fieldErrorsFrom(error);
  if (!errors) throw error;
  const values: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string") values[key] = value;
  return { errors, values };
}
