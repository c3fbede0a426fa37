import { TRPCError } from "@trpc/server";

/** Messages by form field; `form` for what belongs to no single field. */
export type FieldErrors = Partial<Record<string, string>>;

/**
 * A refused form as messages next to its fields: zod issues (or a domain refusal carrying issues)
 * by their field, a SKU clash on the SKU field, anything else at the top of the form.
 */
export function fieldErrorsFrom(error: unknown): FieldErrors | null {
  if (!(error instanceof TRPCError) || error.code === "INTERNAL_SERVER_ERROR") return null;
  const issues = (error.cause as { issues?: { path: PropertyKey[]; message: string }[] } | undefined)?.issues;
  if (issues?.length) {
    const errors: FieldErrors = {};
    for (const issue of issues) {
      const field = String(issue.path[0] ?? "form");
      errors[field] ??= issue.message;
    }
    return errors;
  }
  if (error.code === "CONFLICT") return { sku: error.message };
  return { form: error.message };
}
