import { z } from "zod";
import { API_TOKEN_SCOPES } from "../../db/schema.js";
import { storableText } from "../text-input.schema.js";

/** Shared by the tRPC procedures and the Access page's form. */
export const apiTokenCreateInput = z.object({
  name: storableText("Name").trim().min(1, "Name is required").max(100, "Name must be at most 100 characters"),
  scope: z.enum(API_TOKEN_SCOPES, { message: "Scope must be read or write" }),
});
