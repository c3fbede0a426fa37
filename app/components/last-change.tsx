import { Link } from "@remix-run/react";
import { formatDateTime } from "~/lib/format";
import { PAGES } from "../../server/page-paths";
import type { ProductJson } from "../../server/products/product-json";

const WRITERS: Record<ProductJson["lastChange"]["kind"], string> = {
  import: "Import",
  revert: "Undo of",
  edit: "Edited",
  bulk: "Bulk change",
};

/** What last wrote a product and when: an import or its undo (linked, by file name), an edit, a bulk change. */
export function LastChange({ change, filename }: { change: ProductJson["lastChange"]; filename?: string }) {
  return (
    <span className="last-change">
      <span>
        {WRITERS[change.kind]}
        {change.importId ? (
          <>
            {" "}
            <Link to={`${PAGES.imports}/${change.importId}`} className="filename">
              {filename ?? `import #${change.importId}`}
            </Link>
          </>
        ) : null}
      </span>{" "}
      <time dateTime={change.at}>{formatDateTime(change.at)}</time>
    </span>
  );
}
