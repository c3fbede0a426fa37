import type { FieldErrors } from "~/lib/field-errors";

/** aria attributes tying a field to its message, when it has one. */
export const invalidProps = (errors: FieldErrors | undefined, field: string) =>
  errors?.[field] ? { "aria-invalid": true, "aria-describedby": `${field}-error` } : {};

/** The message next to a field, with the id `invalidProps` points at. */
export function FieldError({ errors, field }: { errors: FieldErrors | undefined; field: string }) {
  return errors?.[field] ? (
    <p className="field-error" id={`${field}-error`}>
      {errors[field]}
    </p>
  ) : null;
}

/** What belongs to no single field, at the top of the form. */
export function FormError({ errors }: { errors: FieldErrors | undefined }) {
  return errors?.form ? (
    <p className="error" role="alert">
      {errors.form}
    </p>
  ) : null;
}
