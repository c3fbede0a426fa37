import { TRPCError } from "@trpc/server";

/** Messages by form field; `form` for what belongs to no single field. */
export type FieldErrors = Partial<Record<string, string>>;

type Issue = { path: PropertyKey[]; message: string };

/**
 * A refused form as messages next to its fields: zod issues by their field, a domain refusal on
 * the field it names (a SKU clash on the SKU field, a refused URL on the URL field), anything else
 * at the top of the form. Null for a server fault.
 */
export function fieldErrorsFrom(error: unknown): FieldErrors | null {
  if (!(error instanceof TRPCError) || error.code === "INTERNAL_SERVER_ERROR") return null;
  // Read by shape, not by class: the Remix build bundles its own copy of server modules.
  const cause = error.cause as { issues?: Issue[]; field?: string } | undefined;
  const issues = cause?.issues;
  if (issues?.length) {
    const errors: FieldErrors = {};
    for (const issue of issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
    return errors;
  }
  if (typeof cause?.field === "string") return { [cause.field]: error.message };
  return { form: error.message };
}
