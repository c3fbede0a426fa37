import { fieldErrorsFrom, type FieldErrors } from "~/lib/field-errors";
import { GUARD_KEYS } from "../../server/feeds/feed.schema";

/** The import options the feed form posts, by the names an upload uses. */
const OPTION_NAMES = [
  "mode",
  "syncAction",
  "emptyDescription",
  "emptyCells",
  "decimalSeparator",
  "imageBaseUrl",
  "encoding",
  "delimiter",
  "profile",
  "sheet",
] as const;

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

/** "Name: value" per line, as the form's Request headers box holds them; a line that is not one is named. */
export function headersFromText(value: string): { headers: Record<string, string> } | { error: string } {
  const headers: Record<string, string> = {};
  const lines = value.split(/\r?\n/);
  for (const [at, line] of lines.entries()) {
    if (!line.trim()) continue;
    const colon = line.indexOf(":");
    if (colon < 1) return { error: `Request headers, line ${at + 1}: write each header as Name: value (such as Authorization: Bearer abc123).` };
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { headers };
}

/**
 * The feed as the form posts it, for feeds.create / feeds.update: blank options are left to the
 * file, a blank password or key keeps the stored one, a blank headers box keeps the stored headers
 * (unless "Remove the stored headers" is ticked).
 */
export function feedFromForm(form: FormData, editing: boolean) {
  const options: Record<string, unknown> = {};
  for (const name of OPTION_NAMES) {
    const value = text(form, name).trim();
    if (value && value !== "auto") options[name] = value;
  }
  const mapping = text(form, "mapping");
  if (mapping) options.mapping = mapping;
  const guard: Record<string, number> = {};
  for (const key of GUARD_KEYS) {
    const value = text(form, key).trim();
    if (value !== "") guard[key] = Number(value);
  }
  const typedHeaders = headersFromText(text(form, "headers"));
  if ("error" in typedHeaders) return { refused: { headers: typedHeaders.error } as FieldErrors };
  const headersGiven = Object.keys(typedHeaders.headers).length > 0;
  const clearHeaders = form.get("clearHeaders") === "1";
  const secret = (name: string) => (text(form, name) === "" ? undefined : text(form, name));
  return {
    input: {
      name: text(form, "name"),
      url: text(form, "url"),
      schedule: text(form, "schedule"),
      username: text(form, "username").trim() || (editing ? null : undefined),
      password: secret("password"),
      privateKey: secret("privateKey"),
      ...(headersGiven || clearHeaders || !editing ? { headers: typedHeaders.headers } : {}),
      options,
      guard,
      enabled: form.get("enabled") === "1",
    },
  };
}

/** A refused feed form, to show again as it was (secrets left out) with the errors beside it. */
export function feedFormRefusal(error: unknown, form: FormData): { errors: FieldErrors; values: Record<string, string> } {
  const errors = fieldErrorsFrom(error);
  if (!errors) throw error;
  return { errors, values: formValues(form) };
}

export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string" && key !== "password" && key !== "privateKey") values[key] = value;
  return values;
}
