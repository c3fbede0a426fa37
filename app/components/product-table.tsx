import { Form, Link, useFetcher, useNavigate } from "@remix-run/react";
import { useEffect, useState, type MouseEvent } from "react";
import { BulkToolbar, BULK_FORM } from "~/components/bulk-toolbar";
import { GroupLineRows, type VariantPlace } from "~/components/group-line-rows";
import { LastChange } from "~/components/last-change";
import { Thumbnail } from "~/components/thumbnail";
import {
  columnsParam,
  COLUMNS_PARAM,
  isGroupLine,
  optionsText,
  withColumns,
  type ListedLine,
  type ListedProduct,
  type ProductColumn,
} from "~/lib/product-columns";
import { isFiltered, listQuery, productDialogHref, productsHref, SORT_LABELS, type ListState } from "~/lib/product-filters";
import { useClearAfterBulk } from "~/lib/use-clear-after-bulk";
import { useCurrency } from "~/lib/use-currency";
import { useRowSelection } from "~/lib/use-row-selection";
import { PAGES } from "../../server/page-paths";
import type { ProductSort } from "../../server/products/product.schema";

export interface ProductTableProps {
  /** The page's lines: a product, or a group's matching variants (the grouped list). */
  lines: ListedLine[];
  /** The groups shown open (the URL's `open`, before scripts load). */
  openGroups: ReadonlySet<string>;
  /** The file of each import that last wrote a listed product. */
  filenames: Record<string, string>;
  state: ListState;
  /** The list's query with its column choice: every link and form on the page keeps both. */
  search: string;
  /** Every column the list can show, and the keys of those chosen. */
  columns: readonly ProductColumn[];
  chosen: readonly string[];
  /** How many products match the filters (a lower bound when not exact). */
  total: number;
  totalExact: boolean;
}

/**
 * The products of one page: sortable headers, a checkbox per row for the bulk actions, the chosen
 * columns (price, stock and the last change unless the URL says otherwise), each row's active
 * switch, Edit and Delete; a group's variants under one line that opens to them
 * (group-line-rows.tsx). Below 640 px each row is a card (app.css).
 */
export function ProductTable({ lines, openGroups, filenames, state, search, columns, chosen, total, totalExact }: ProductTableProps) {
  const ids = lines.flatMap((line) => line.variants.map((product) => product.id));
  const filtered = isFiltered(state);
  const currency = useCurrency();
  // A new page, filter or sort starts a new selection; showing other columns does not.
  const selection = useRowSelection(ids, listQuery(state));
  useClearAfterBulk(selection.clear);
  const shown = columns.filter((column) => chosen.includes(column.key));
  const [middle, last] = [shown.filter((column) => !column.last), shown.filter((column) => column.last)];
  const kept = columnsParam(chosen);
  const header = (column: ProductColumn) =>
    column.sort ? (
      <SortHeader key={column.key} sort={column.sort} label={column.label} numeric={column.numeric} state={state} columns={kept} />
    ) : (
      <th key={column.key} scope="col" className={column.numeric ? "num" : undefined}>
        {column.label}
      </th>
    );
  const cells = (product: ListedProduct, of: ProductColumn[]) =>
    of.map((column) => <ColumnCell key={column.key} column={column} product={product} currency={currency} filenames={filenames} />);
  const row = (product: ListedProduct, variant?: VariantPlace) => (
    <tr
      key={product.id}
      id={variant?.id}
      hidden={variant?.hidden}
      className={[selection.selected.has(product.id) ? "selected" : "", variant ? "variant" : ""].join(" ").trim() || undefined}
    >
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
      <td className="name">
        <Thumbnail url={product.images[0]} />
        {product.name}
        {variant && product.options.length > 0 ? <span className="variant-options">{optionsText(product.options)}</span> : null}
      </td>
      {cells(product, middle)}
      <td className="description">
        <Description text={product.descriptionText} />
      </td>
      <td className="active">
        <ActiveToggle id={product.id} sku={product.sku} active={product.active} search={search} />
      </td>
      {cells(product, last)}
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
  );
  return (
    <div onKeyDown={selection.onKeys} onKeyUp={selection.onKeys}>
      <ColumnChooser columns={columns} chosen={chosen} state={state} />
      <BulkToolbar selection={selection} search={search} pageCount={ids.length} total={total} totalExact={totalExact} />
      <div className="table-scroll product-cards">
        <table className="products stack-on-phone">
          <thead>
            <tr>
              <th scope="col" className="select">
                <span className="visually-hidden">Selected</span>
              </th>
              <SortHeader sort="sku" state={state} columns={kept} />
              <SortHeader sort="name" state={state} columns={kept} />
              {middle.map(header)}
              <th scope="col">Description</th>
              <th scope="col">Active</th>
              {last.map(header)}
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) =>
              isGroupLine(line) ? (
                <GroupLineRows
                  key={`group:${line.variants[0]!.id}`}
                  line={line}
                  open={filtered || openGroups.has(line.group!)}
                  variantRow={row}
                  selection={selection}
                  middle={middle}
                  last={last}
                  currency={currency}
                  filenames={filenames}
                  search={search}
                />
              ) : (
                row(line.variants[0]!)
              ),
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The sorted column says so (aria-sort); its link turns the order around, any other starts ascending. */
function SortHeader({
  sort,
  label = SORT_LABELS[sort],
  numeric,
  state,
  columns,
}: {
  sort: ProductSort;
  label?: string;
  numeric?: boolean;
  state: ListState;
  /** The column choice, kept by the link. */
  columns: string | null;
}) {
  const current = state.sort === sort ? (state.order ?? "asc") : undefined;
  const next = current === "asc" ? "desc" : "asc";
  return (
    <th
      scope="col"
      className={numeric ? "num" : undefined}
      aria-sort={current === "asc" ? "ascending" : current === "desc" ? "descending" : undefined}
    >
      <Link
        to={productsHref(withColumns(listQuery(state, { sort, order: next, page: 1 }), columns))}
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

function ColumnCell({
  column,
  product,
  currency,
  filenames,
}: {
  column: ProductColumn;
  product: ListedProduct;
  currency: string | undefined;
  filenames: Record<string, string>;
}) {
  if (column.value === "lastChange") {
    return (
      <td className={column.cell}>
        <LastChange change={product.lastChange} filename={filenames[product.lastChange.importId ?? ""]} />
      </td>
    );
  }
  return (
    <td className={`${column.cell}${column.numeric ? " num" : ""}`} data-label={column.label}>
      {column.value(product, currency)}
    </td>
  );
}

/**
 * Which columns the list shows, kept in the URL with its filters (`?columns=price,brand`). A GET
 * form of checkboxes with an Apply button before scripts load; then each tick applies at once.
 */
function ColumnChooser({ columns, chosen, state }: { columns: readonly ProductColumn[]; chosen: readonly string[]; state: ListState }) {
  const navigate = useNavigate();
  const [ticked, setTicked] = useState<readonly string[]>(chosen);
  // Back, or a link, may bring another choice.
  const chosenKey = chosen.join(",");
  useEffect(() => setTicked(chosenKey ? chosenKey.split(",") : []), [chosenKey]);
  const toggle = (key: string, on: boolean) => {
    const next = columns.filter((column) => (column.key === key ? on : ticked.includes(column.key))).map((column) => column.key);
    setTicked(next);
    navigate(productsHref(withColumns(listQuery(state), columnsParam(next))), { preventScrollReset: true });
  };
  return (
    <details className="column-chooser">
      <summary>Columns</summary>
      <Form method="get" action={PAGES.products} preventScrollReset>
        {[...new URLSearchParams(listQuery(state))].map(([key, value]) => (
          <input key={key} type="hidden" name={key} value={value} />
        ))}
        {/* Said even with every box unticked: no columns is a choice, unlike no parameter (the default). */}
        <input type="hidden" name={COLUMNS_PARAM} value="" />
        {/* The import options' fieldset: choices that wrap, within a phone's width. */}
        <fieldset className="apply-options">
          <legend>Columns shown</legend>
          {columns.map((column) => (
            <label key={column.key} className="checkbox">
              <input
                type="checkbox"
                name={COLUMNS_PARAM}
                value={column.key}
                checked={ticked.includes(column.key)}
                onChange={(event) => toggle(column.key, event.currentTarget.checked)}
              />{" "}
              {column.label}
            </label>
          ))}
          <noscript>
            <button type="submit" className="button">
              Apply
            </button>
          </noscript>
        </fieldset>
      </Form>
    </details>
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
