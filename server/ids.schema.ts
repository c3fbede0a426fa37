import { z } from "zod";

/** Row ids are bigint: digits only, and small enough that Postgres never rejects them (a 500). */
export const ID_PATTERN = /^[1-9]\d{0,17}$/;

export const idSchema = z
  .union([z.string().regex(ID_PATTERN, "id must be a positive whole number"), z.number().int().positive().max(Number.MAX_SAFE_INTEGER)])
  .transform(String);

export const isId = (value: string) => ID_PATTERN.test(value);
