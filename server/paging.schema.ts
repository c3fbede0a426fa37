import { z } from "zod";

/** How far any list pages: beyond this an OFFSET costs more than anyone would wait for. */
export const MAX_PAGE = 1_000_000;
export const MAX_PAGE_SIZE = 200;

/** `page` and `pageSize` as every list procedure takes them. */
export const pageInput = z.object({
  page: z
    .number()
    .int("page must be a whole number")
    .min(1, "page must be 1 or more")
    .max(MAX_PAGE, `page must be at most ${MAX_PAGE.toLocaleString("en-US")}`)
    .default(1),
  pageSize: z
    .number()
    .int("pageSize must be a whole number")
    .min(1, "pageSize must be 1 or more")
    .max(MAX_PAGE_SIZE, `pageSize must be at most ${MAX_PAGE_SIZE}`)
    .default(50),
});
