import { Link, useFetcher } from "@remix-run/react";
import { formatDateTime } from "~/lib/format";
import { productDialogHref } from "~/lib/product-filters";
import type { ProductJson } from "../../server/products/product.schema";

/** The products of one page, each with its active switch, Edit and Delete. */
export function ProductTable({ items, search }: { items: ProductJson[]; search: string }) {
  return (
    <div className="table-scroll">
      <table className="products">
        <thead>
          <tr>
            <th scope="col">SKU</th>
            <th scope="col">Name</th>
            <th scope="col">Description</th>
            <th scope="col">Active</th>
            <th scope="col">Updated</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((product) => (
            <tr key={product.id}>
              <td className="sku">{product.sku}</td>
              <td>{product.name}</td>
              <td className="description">
                <Description text={product.description} />
              </td>
              <td>
                <ActiveToggle id={product.id} sku={product.sku} active={product.active} search={search} />
              </td>
              <td className="nowrap">{formatDateTime(product.updatedAt)}</td>
              <td>
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
