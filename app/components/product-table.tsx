import { Link, useFetcher } from "@remix-run/react";
import type { MouseEvent } from "react";
import { BulkToolbar, BULK_FORM } from "~/components/bulk-toolbar";
import { LastChange } from "~/components/last-change";
import { listQuery, productDialogHref, productsHref, SORT_LABELS, type ListState } from "~/lib/product-filters";
import { useClearAfterBulk } from "~/lib/use-clear-after-bulk";
import { formatCount, formatPrice } from "~/lib/format";
import { useCurrency } from "~/lib/use-currency";
import { useRowSelection } from "~/lib/use-row-selection";
import type { ProductJson } from "../../server/products/product-json";
import type { ProductSort } from "../../server/products/product.schema";

/** A product as the list shows it: its description's text (app/routes/products.tsx), never its markup. */
export type ListedProduct = Omit<ProductJson, "description"> & { descriptionText: string };

export interface ProductTableProps {
  items: ListedProduct[];
  /** The file of each import that last wrote a listed product. */
  filenames: Record<string, string>;
  state: ListState;
  search: string;
  /** How many products match the filters (a lower bound when not exact). */
  total: number;
  totalExact: boolean;
}

/**
 * The products of one page: sortable headers, a checkbox per row for the bulk actions, price and
 * stock, each row's active switch, last change, Edit and Delete. Below 640 px each row is a card (app.css).
 */
export function ProductTable({ items, filenames, state, search, total, totalExact }: ProductTableProps) {
  const ids = items.map((product) => product.id);
  const currency = useCurrency();
  const selection = useRowSelection(ids, listQuery(state));
  useClearAfterBulk(selection.clear);
  return (
    <div onKeyDown={selection.onKeys} onKeyUp={selection.onKeys}>
      <BulkToolbar selection={selection} state={state} pageCount={items.length} total={total} totalExact={totalExact} />
      <div className="table-scroll product-cards">
        <table className="products stack-on-phone">
          <thead>
            <tr>
              <th scope="col" className="select">
                <span className="visually-hidden">Selected</span>
              </th>
              <SortHeader sort="sku" state={state} />
              <SortHeader sort="name" state={state} />
              <th scope="col" className="num">
                Price
              </th>
              <th scope="col" className="num">
                Stock
              </th>
              <th scope="col">Description</th>
              <th scope="col">Active</th>
              <SortHeader sort="updatedAt" state={state} />
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((product) => (
              <tr key={product.id} className={selection.selected.has(product.id) ? "selected" : undefined}>
                <td className="select">
                  <input
                    type="checkbox"
                    name="id"
                    value={product.id}
                    // Every match is selected: the rows' ids would only lengthen the dialog's URL.
                    form={selection.matching ? undefined : BULK_FORM}
                    data-row-select=""
                    checked={selection.selected.has(product.id)}
                    onChange={() => {}}
                    onClick={(event: MouseEvent<HTMLInputElement>) => selection.toggle(product.id, event)}
                    aria-label={`Select ${product.sku}`}
                  />
                </td>
                <td className="sku">{product.sku}</td>
                <td className="name">{product.name}</td>
                <td className="price num" data-label="Price">
                  {formatPrice(product.price, currency)}
                </td>
                <td className="stock num" data-label="Stock">
                  {product.stock === null ? "—" : formatCount(product.stock)}
                </td>
                <td className="description">
                  <Description text={product.descriptionText} />
                </td>
                <td className="active">
                  <ActiveToggle id={product.id} sku={product.sku} active={product.active} search={search} />
                </td>
                <td className="changed">
                  <LastChange change={product.lastChange} filename={filenames[product.lastChange.importId ?? ""]} />
                </td>
                <td className="row-menu">
                  <div className="row-actions">
                    <Link to={productDialogHref(`${product.id}/edit`, search)} preventScrollReset aria-label={`Edit ${product.sku}`}>
                      Edit
                    </Link>
                    <Link
                      to={productDialogHref(`${product.id}/delete`, search)}
                      preventScrollReset
                      aria-label={`Delete ${product.sku}`}
                      className="danger-link"
                    >
                      Delete
                    </Link>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The sorted column says so (aria-sort); its link turns the order around, any other starts ascending. */
function SortHeader({ sort, state }: { sort: ProductSort; state: ListState }) {
  const label = SORT_LABELS[sort];
  const current = state.sort === sort ? (state.order ?? "asc") : undefined;
  const next = current === "asc" ? "desc" : "asc";
  return (
    <th scope="col" aria-sort={current === "asc" ? "ascending" : current === "desc" ? "descending" : undefined}>
      <Link
        to={productsHref(listQuery(state, { sort, order: next, page: 1 }))}
        preventScrollReset
        className="sort-link"
        aria-label={`${label}, sort ${next === "asc" ? "ascending" : "descending"}`}
      >
        {label}
        <span aria-hidden="true" className="sort-mark">
          {current === "asc" ? "▲" : current === "desc" ? "▼" : "↕"}
        </span>
      </Link>
    </th>
  );
}

function Description({ text }: { text: string }) {
  if (text.length <= 120) return <>{text}</>;
  return (
    <details>
      <summary>{text.slice(0, 120)}…</summary>
      <p className="full-text">{text}</p>
    </details>
  );
}

/**
 * Switches a product on or off in place (app/routes/products.$id.active.tsx), shown at once; the
 * action comes back to this very list, with the outcome as a toast.
 */
function ActiveToggle({ id, sku, active, search }: { id: string; sku: string; active: boolean; search: string }) {
  const fetcher = useFetcher();
  const shown = fetcher.formData ? fetcher.formData.get("active") === "true" : active;
  return (
    <fetcher.Form method="post" action={productDialogHref(`${id}/active`, search)}>
      <input type="hidden" name="active" value={String(!shown)} />
      <button
        type="submit"
        className={`switch ${shown ? "on" : ""}`}
        role="switch"
        aria-checked={shown}
        aria-busy={fetcher.state !== "idle"}
        aria-label={`${sku} active`}
      >
        <span className="switch-label">{shown ? "Active" : "Inactive"}</span>
      </button>
    </fetcher.Form>
  );
}
