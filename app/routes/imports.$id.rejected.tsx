import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { refusalMessage } from "~/lib/action-result";
import { formFields } from "~/lib/apply-review.server";
import { formatCount } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { PAGES } from "../../server/page-paths";

/** What the rejected rows' grid posts: a row's cells, a row left out, a find and replace (or its preview), the fixed rows brought in. */
const gridIntent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("fix"), line: z.coerce.number().int(), revision: z.coerce.number().int().optional() }),
  z.object({ intent: z.literal("drop"), line: z.coerce.number().int() }),
  z.object({ intent: z.literal("dropMatching"), message: z.string().min(1) }),
  z.object({
    intent: z.enum(["preview", "replace"]),
    column: z.string(),
    find: z.string(),
    replace: z.string().default(""),
    regex: z.literal("1").optional(),
  }),
  z.object({ intent: z.literal("importFixed") }),
]);

const CELL = "cell:";

/** Back to the import's page as it was (its grid page and problem filter), never elsewhere. */
function samePage(request: Request, page: string): string {
  const referer = URL.canParse(request.headers.get("referer") ?? "") ? new URL(request.headers.get("referer")!) : null;
  return referer && referer.origin === new URL(request.url).origin && referer.pathname === page ? `${page}${referer.search}` : page;
}

/** The grid's posts, each one procedure; the answer is the page again with a toast saying what came of it. */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const id = params.id ?? "";
  const back = samePage(request, `${PAGES.imports}/${id}`);
  const form = await request.formData();
  const posted = gridIntent.safeParse(formFields(form));
  if (!posted.success) return redirectWithToast(back, { message: "Unknown action.", tone: "error" });
  const intent = posted.data;
  try {
    if (intent.intent === "fix") {
      const cells = Object.fromEntries(
        [...form].flatMap(([name, value]) => (name.startsWith(CELL) && typeof value === "string" ? [[name.slice(CELL.length), value]] : [])),
      );
      const { items } = await context.trpc.imports.fixRows({ id, rows: [{ line: intent.line, cells, revision: intent.revision }] });
      const [row] = items;
      const overwrote = row?.overwrote ? " It overwrote a change someone saved meanwhile." : "";
      return row?.fixed
        ? redirectWithToast(back, { message: `Line ${intent.line} is fixed.${overwrote}`, tone: "success" })
        : redirectWithToast(back, { message: `Line ${intent.line}: ${row?.errors[0]?.message ?? "still rejected"}.${overwrote}`, tone: "error" });
    }
    if (intent.intent === "drop") {
      await context.trpc.imports.dropRejected({ id, lines: [intent.line] });
      return redirectWithToast(back, { message: `Line ${intent.line} is left out.`, tone: "success" });
    }
    if (intent.intent === "dropMatching") {
      const { dropped } = await context.trpc.imports.dropRejected({ id, message: intent.message });
      return redirectWithToast(`${PAGES.imports}/${id}`, {
        message: `Left out ${formatCount(dropped)} ${dropped === 1 ? "row" : "rows"} whose problem mentions "${intent.message}".`,
        tone: "success",
      });
    }
    if (intent.intent === "preview" || intent.intent === "replace") {
      const preview = intent.intent === "preview";
      const { changed, fixed } = await context.trpc.imports.replaceInRejected({
        id,
        column: intent.column,
        find: intent.find,
        replace: intent.replace,
        regex: intent.regex === "1",
        preview,
      });
      const counts = `${formatCount(changed)} ${changed === 1 ? "row" : "rows"} and ${preview ? "would fix" : "fixed"} ${formatCount(fixed)}`;
      return redirectWithToast(back, {
        message: preview
          ? `Replacing in ${intent.column} would change ${counts}. Nothing was changed yet.`
          : `Replaced in ${intent.column}: changed ${counts}.`,
        tone: "success",
      });
    }
    const brought = await context.trpc.imports.importFixed({ id });
    if (brought.id === id) return redirectWithToast(back, { message: "The fixed rows joined this review; its counts are updated.", tone: "success" });
    return redirectWithToast(`${PAGES.imports}/${brought.id}`, {
      message: `The fixed rows are imported here, as an import of their own (fixes import ${id}).`,
      tone: "success",
    });
  } catch (error) {
    return redirectWithToast(back, { message: refusalMessage(error), tone: "error" });
  }
}
