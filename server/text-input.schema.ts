import { z } from "zod";

/**
 * Why a string cannot be stored and given back unchanged, or null. Postgres text holds no NUL, and
 * a lone UTF-16 surrogate (JSON allows `"\ud800"`) would be stored as U+FFFD: a value that reads
 * back differently, and that the importer then rejects when the export is imported again.
 */
export function unstorableTextReason(value: string): string | null {
  if (value.includes("\0")) return "must not contain a NUL character";
  if (!value.isWellFormed()) return "must not contain a lone surrogate (text that is not valid Unicode)";
  return null;
}

/** A zod string that refuses what `unstorableTextReason` refuses; every text input goes through it. */
export const storableText = (label?: string) =>
  z.string().superRefine((value, ctx) => {
    const reason = unstorableTextReason(value);
    if (reason) ctx.addIssue({ code: "custom", message: label ? `${label} ${reason}` : reason });
  });
