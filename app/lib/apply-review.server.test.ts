import { describe, expect, it } from "vitest";
import { applyImport, formFields, importPageIntent, parseApplyForm, staleReviewDialogPath } from "./apply-review.server";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
};

describe("the import page's intents", () => {
  it("reads each button's intent with what it posts, and refuses anything else", () => {
    expect(importPageIntent.parse(formFields(form({ intent: "apply", confirmLargeSync: "1", reviewedCatalogVersion: "42" })))).toEqual({
      intent: "apply",
      confirmLargeSync: "1",
      reviewedCatalogVersion: "42",
    });
    expect(importPageIntent.parse(formFields(form({ intent: "discard" })))).toEqual({ intent: "discard" });
    expect(importPageIntent.safeParse(formFields(form({ intent: "drop-table" }))).success).toBe(false);
    expect(importPageIntent.safeParse(formFields(form({}))).success).toBe(false);
  });

  it("applies through the procedure named apply, with the version only when the form carries one", async () => {
    const calls: unknown[] = [];
    // A stand-in shaped like the server caller's imports.apply (a function, called with .call).
    const apply = function (this: unknown, input: unknown) {
      calls.push(input);
      return Promise.resolve(input);
    };
    const trpc = { imports: { apply } } as unknown as Parameters<typeof applyImport>[0];
    await applyImport(trpc, "7", parseApplyForm(form({ confirmLargeSync: "1", reviewedCatalogVersion: "42" })));
    await applyImport(trpc, "7", parseApplyForm(form({})));
    expect(calls).toEqual([
      { id: "7", confirmLargeSync: true, reviewedCatalogVersion: "42" },
      { id: "7", confirmLargeSync: false },
    ]);
  });

  it("keeps a ticked large-sync confirmation on the way to the stale-review question", () => {
    expect(staleReviewDialogPath("7", { confirmLargeSync: "1" })).toBe("/imports/7/apply?confirmLargeSync=1");
    expect(staleReviewDialogPath("7", {})).toBe("/imports/7/apply");
  });
});
