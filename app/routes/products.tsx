import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { Pagination } from "~/components/pagination";
import { ProductFiltersForm } from "~/components/product-filters-form";
import { DESCRIPTION_PREVIEW_INTENT } from "~/components/product-form";
import { OPEN_PARAM } from "~/components/group-line-rows";
import { ProductTable } from "~/components/product-table";
import { formatCount } from "~/lib/format";
import { pageData } from "~/lib/page-errors.server";
import {
  chosenColumnKeys,
  columnsParam,
  COLUMNS_PARAM,
  fieldColumns,
  productColumns,
  withColumns,
  type ListedLine,
  type ListedProduct,
} from "~/lib/product-columns";
import { useFields } from "~/lib/use-fields";
import {
  exportQuery,
  groupsVariants,
  isFiltered,
  listQuery,
  listStateFromUrl,
  PAGE_SIZES,
  productDialogHref,
  productsHref,
} from "~/lib/product-filters";
import { descriptionExcerpt } from "../../server/products/description-html";
import type { ProductJson } from "../../server/products/product-json";

export const meta: MetaFunction = () => [{ title: "Products · Product Importer" }];

/** The list, as the URL's filters, page and columns say; its dialogs (new, edit, delete) are child routes. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const state = listStateFromUrl(url);
  const columns = chosenColumnKeys(url.searchParams, productColumns(fieldColumns(await context.trpc.fields.list({}))));
  // The chooser's form without scripts writes `columns=&columns=price&…`: the address shows `columns=price,…`.
  const written = columnsParam(columns);
  const given = url.searchParams.getAll(COLUMNS_PARAM);
  if (given.length > 0 && (given.length !== 1 || given[0] !== written)) {
    url.searchParams.delete(COLUMNS_PARAM);
    throw redirect(`${url.pathname}${withColumns(url.search, written)}`);
  }
  const filtered = isFiltered(state);
  const [list, catalogTotal] = await pageData(() =>
    Promise.all([
      groupsVariants(state) ? context.trpc.products.groups(state) : context.trpc.products.list(state).then(asLines),
      // Unfiltered, the list's own total is the catalog's.
      filtered ? context.trpc.products.count({}).then(({ count }) => count) : null,
    ]),
  );
  // A page emptied by a delete (or past the end of a shared link) shows the last page there is.
  const lastPage = Math.max(1, Math.ceil(list.total / state.pageSize));
  if (list.items.length === 0 && list.totalExact && state.page > lastPage) {
    throw redirect(productsHref(withColumns(listQuery(state, { page: lastPage }), written)));
  }
  const products = list.items.flatMap((line) => line.variants);
  const importIds = products.flatMap((product) => (product.lastChange.importId ? [product.lastChange.importId] : []));
  const imports = await context.trpc.imports.filenames({ ids: [...new Set(importIds)] });
  const filenames = Object.fromEntries(imports.map(({ id, filename }) => [id, filename]));
  const lines: ListedLine[] = list.items.map((line) => ({ ...line, variants: line.variants.map(listed) }));
  return {
    list: { ...list, items: lines },
    openGroups: url.searchParams.getAll(OPEN_PARAM),
    state,
    columns,
    filtered,
    catalogTotal: catalogTotal ?? list.products.total,
    filenames,
  };
}

/** The flat list in the grouped list's shape: each product a line of its own. */
const asLines = <P,>(page: { items: P[]; total: number; totalExact: boolean }) => ({
  ...page,
  items: page.items.map((product) => ({ group: null, variantCount: 1, variants: [product] })),
  products: { total: page.total, totalExact: page.totalExact },
});

// Descriptions are HTML in every platform's export: the list shows their text, computed here so the
// sanitizer stays on the server, and sends no markup the page does not show.
const listed = ({ description, ...product }: ProductJson): ListedProduct => ({ ...product, descriptionText: descriptionExcerpt(description) });

// The edit dialog's live preview posts to its own action: the list under it has not changed.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === DESCRIPTION_PREVIEW_INTENT ? false : defaultShouldRevalidate;

export default function ProductsPage() {
  const { list, openGroups, state, columns, filtered, catalogTotal, filenames } = useLoaderData<typeof loader>();
  const fields = useFields();
  // The list's own query, not the URL's: under the bulk dialog (`/products/bulk?intent=…&id=…`)
  // the links still lead to the list and its other dialogs, without the dialog's parameters.
  const search = withColumns(listQuery(state), columnsParam(columns));
  return (
    <>
      <div className="page-head">
        <h1>Products</h1>
        <div className="head-actions">
          <ExportMenu query={exportQuery(state)} />
          <Link className="button primary" to={productDialogHref("new", search)} preventScrollReset>
            Add product
          </Link>
        </div>
      </div>
      <ProductFiltersForm state={state} />
      <section className="panel">
        <p className="total" aria-live="polite">
          {filtered
            ? `${list.products.totalExact ? "" : "More than "}${formatCount(list.products.total)} of ${formatCount(catalogTotal)} products match`
            : `${formatCount(list.products.total)} products`}
        </p>
        {list.items.length === 0 ? (
          <EmptyState filtered={filtered} />
        ) : (
          <ProductTable
            lines={list.items}
            openGroups={new Set(openGroups)}
            filenames={filenames}
            state={state}
            search={search}
            columns={productColumns(fieldColumns(fields))}
            chosen={columns}
            total={list.products.total}
            totalExact={list.products.totalExact}
          />
        )}
        <Pagination
          total={list.total}
          totalExact={list.totalExact}
          fullPage={list.items.length === state.pageSize}
          page={state.page}
          pageSize={state.pageSize}
          pageSizes={PAGE_SIZES}
          base={productsHref(search)}
        />
      </section>
      <section className="panel danger-zone">
        <h2>Delete all products</h2>
        <p className="hint">Removes every product in the catalog. Import history stays.</p>
        <Link className="button danger" to={productDialogHref("delete-all", search)} preventScrollReset>
          Delete all products…
        </Link>
      </section>
      <Outlet />
    </>
  );
}

function EmptyState({ filtered }: { filtered: boolean }) {
  return filtered ? (
    <p className="empty">
      No products match these filters. <Link to="/products">Clear the filters</Link>
    </p>
  ) : (
    <p className="empty">
      The catalog is empty. <Link to="/imports">Import a CSV</Link> or add a product.
    </p>
  );
}

/**
 * The list (with its filters) as this app's CSV, or as a shop's own product CSV. A disclosure, so
 * the formats open without scripts; the plain CSV stays one click away.
 */
function ExportMenu({ query }: { query: string }) {
  const href = (format: string) => `/api/products/export${query ? `${query}&` : "?"}format=${format}`;
  return (
    <div className="export-menu">
      <a className="button" href={`/api/products/export${query}`} download>
        Export CSV
      </a>
      <details>
        <summary className="button" aria-label="Other export formats">
          ▾
        </summary>
        <ul>
          <li>
            <a href={href("csv")} download>
              CSV, this app's columns
            </a>
          </li>
          <li>
            <a href={href("shopify")} download>
              Shopify product CSV
            </a>
          </li>
          <li>
            <a href={href("woocommerce")} download>
              WooCommerce product CSV
            </a>
          </li>
        </ul>
      </details>
    </div>
  );
}
