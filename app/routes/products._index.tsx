import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useLocation, useNavigate, useSubmit } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { TRPCError } from "@trpc/server";
import { Modal } from "~/components/modal";
import { ProductForm } from "~/components/product-form";
import { useToast } from "~/components/toasts";
import { fieldErrorsFrom } from "~/lib/field-errors";
import { pageData } from "~/lib/page-errors.server";
import { formatCount, formatDateTime } from "~/lib/format";
import { isId } from "../../server/ids";
import { PAGE_SIZES, listHref, listStateFromUrl, withParams, type ListState } from "~/lib/product-filters";

export const meta: MetaFunction = () => [{ title: "Products · Product Importer" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const state = listStateFromUrl(url);
  const editId = url.searchParams.get("edit");
  const filtered = Boolean(state.sku || state.name || state.description || state.active !== undefined);
  const [list, catalogTotal, editing] = await pageData(() =>
    Promise.all([
      context.trpc.products.list(state),
      // Unfiltered, the list's own total is the catalog's.
      filtered ? context.trpc.products.list({ page: 1, pageSize: 1 }).then((catalog) => catalog.total) : null,
      editId && isId(editId) ? context.trpc.products.get({ id: editId }).catch(() => null) : null,
    ]),
  );
  return {
    list,
    state,
    filtered,
    catalogTotal: catalogTotal ?? list.total,
    editing,
    dialog: url.searchParams.has("new") ? "new" : editId ? "edit" : url.searchParams.get("confirm"),
    notice: url.searchParams.get("notice"),
    tone: url.searchParams.get("tone") === "error" ? ("error" as const) : ("success" as const),
  };
}

const formValues = (form: FormData) => ({
  sku: String(form.get("sku") ?? ""),
  name: String(form.get("name") ?? ""),
  description: String(form.get("description") ?? ""),
  active: form.get("active") === "on",
});

export async function action({ request, context }: ActionFunctionArgs) {
  const url = new URL(request.url);
  const back = listHref(url);
  const form = await request.formData();
  const intent = form.get("intent");
  const id = String(form.get("id") ?? "");
  const notice = (message: string, tone: "success" | "error" = "success") =>
    redirect(withParams(back, { notice: message, ...(tone === "error" ? { tone } : {}) }));
  try {
    switch (intent) {
      case "create": {
        const product = await context.trpc.products.create(formValues(form));
        return notice(`Created ${product.sku}.`);
      }
      case "update": {
        const product = await context.trpc.products.update({ id, ...formValues(form) });
        return notice(`Saved ${product.sku}.`);
      }
      case "toggle": {
        const product = await context.trpc.products.update({ id, active: form.get("active") === "true" });
        return { ok: true as const, message: `${product.sku} is now ${product.active ? "active" : "inactive"}.` };
      }
      case "delete": {
        await context.trpc.products.delete({ id });
        return notice(`Deleted ${String(form.get("sku") ?? "the product")}.`);
      }
      case "deleteAll": {
        if (form.get("confirmation") !== "DELETE") return notice("Nothing was deleted: type DELETE to confirm.", "error");
        const { deleted } = await context.trpc.products.deleteAll({});
        return notice(`Deleted all ${formatCount(deleted)} products.`);
      }
    }
    return notice("Unknown action.", "error");
  } catch (error) {
    const errors = fieldErrorsFrom(error);
    if (!errors) throw error;
    if (intent === "create" || intent === "update") {
      return { ok: false as const, errors, values: { ...Object.fromEntries(form), active: form.get("active") === "on" ? "on" : "" } as Record<string, string> };
    }
    const message = error instanceof TRPCError ? error.message : "The change could not be made.";
    if (intent === "toggle") return { ok: false as const, message };
    return notice(message, "error");
  }
}

export default function ProductsPage() {
  const { list, state, filtered, catalogTotal, editing, dialog, notice, tone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const location = useLocation();
  const navigate = useNavigate();
  const toast = useToast();
  const here = new URL(`${location.pathname}${location.search}`, "http://local");
  const back = listHref(here);

  useEffect(() => {
    if (!notice) return;
    toast(notice, tone);
    navigate(back, { replace: true, preventScrollReset: true });
  }, [notice, tone, toast, navigate, back]);

  const formErrors = result && "errors" in result ? result : null;
  return (
    <>
      <div className="page-head">
        <h1>Products</h1>
        <div className="head-actions">
          <a className="button" href={`/api/products/export${exportQuery(state)}`} download>
            Export CSV
          </a>
          <Link className="button primary" to={withParams(back, { new: "1" })} preventScrollReset>
            Add product
          </Link>
        </div>
      </div>
      <Filters state={state} />
      <section className="panel">
        <p className="total" aria-live="polite">
          {filtered
            ? `${list.totalExact ? "" : "More than "}${formatCount(list.total)} of ${formatCount(catalogTotal)} products match`
            : `${formatCount(list.total)} products`}
        </p>
        {list.items.length === 0 ? (
          <EmptyState filtered={filtered} />
        ) : (
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
                {list.items.map((product) => (
                  <tr key={product.id}>
                    <td className="sku">{product.sku}</td>
                    <td>{product.name}</td>
                    <td className="description">
                      <Description text={product.description} />
                    </td>
                    <td>
                      <ActiveToggle id={product.id} sku={product.sku} active={product.active} />
                    </td>
                    <td className="nowrap">{formatDateTime(product.updatedAt)}</td>
                    <td>
                      <div className="row-actions">
                      <Link to={withParams(back, { edit: product.id })} preventScrollReset aria-label={`Edit ${product.sku}`}>
                        Edit
                      </Link>
                      <Link
                        to={withParams(back, { confirm: `delete:${product.id}` })}
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
        )}
        <Paging total={list.total} totalExact={list.totalExact} fullPage={list.items.length === state.pageSize} page={state.page} pageSize={state.pageSize} />
      </section>
      <section className="panel danger-zone">
        <h2>Delete all products</h2>
        <p className="hint">Removes every product in the catalog. Import history stays.</p>
        <Link className="button danger" to={withParams(back, { confirm: "delete-all" })} preventScrollReset>
          Delete all products…
        </Link>
      </section>

      {dialog === "new" ? (
        <Modal title="Add product" onClose={() => navigate(back, { replace: true, preventScrollReset: true })}>
          <ProductForm errors={formErrors?.errors} values={formErrors?.values} cancelHref={back} />
        </Modal>
      ) : null}
      {dialog === "edit" && editing ? (
        <Modal title={`Edit ${editing.sku}`} onClose={() => navigate(back, { replace: true, preventScrollReset: true })}>
          <ProductForm product={editing} errors={formErrors?.errors} values={formErrors?.values} cancelHref={back} />
        </Modal>
      ) : null}
      {dialog?.startsWith("delete:") ? <ConfirmDelete id={dialog.slice(7)} items={list.items} back={back} /> : null}
      {dialog === "delete-all" ? <ConfirmDeleteAll total={catalogTotal} back={back} /> : null}
    </>
  );
}

function exportQuery(state: ListState) {
  const params = new URLSearchParams();
  for (const key of ["sku", "name", "description"] as const) if (state[key]) params.set(key, state[key]!);
  if (state.active !== undefined) params.set("active", String(state.active));
  const query = params.toString();
  return query ? `?${query}` : "";
}

/**
 * Filters submit as a GET form: typing is debounced, each settled filter is a history entry (Back
 * returns to the previous one), and the first page is shown again.
 */
function Filters({ state }: { state: ListState }) {
  const submit = useSubmit();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const formRef = useRef<HTMLFormElement>(null);
  const send = (delay: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => submit(formRef.current, { preventScrollReset: true }), delay);
  };
  // After Back or a link, show the URL's filters; never overwrite the field being typed in.
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    const wanted: Record<string, string> = {
      sku: state.sku ?? "",
      name: state.name ?? "",
      description: state.description ?? "",
      active: state.active === undefined ? "" : String(state.active),
    };
    for (const [field, value] of Object.entries(wanted)) {
      const input = form.elements.namedItem(field) as HTMLInputElement | HTMLSelectElement | null;
      if (input && input !== document.activeElement && input.value !== value) input.value = value;
    }
  }, [state.sku, state.name, state.description, state.active]);
  return (
    <Form method="get" className="panel filters" ref={formRef} onChange={(event) => send((event.target as HTMLElement).tagName === "SELECT" ? 0 : 300)}>
      <label>
        SKU
        <input type="search" name="sku" defaultValue={state.sku ?? ""} autoComplete="off" />
      </label>
      <label>
        Name
        <input type="search" name="name" defaultValue={state.name ?? ""} autoComplete="off" />
      </label>
      <label>
        Description
        <input type="search" name="description" defaultValue={state.description ?? ""} autoComplete="off" />
      </label>
      <label>
        Active
        <select name="active" defaultValue={state.active === undefined ? "" : String(state.active)}>
          <option value="">Any</option>
          <option value="true">Active</option>
          <option value="false">Inactive</option>
        </select>
      </label>
      <input type="hidden" name="size" value={state.pageSize} />
      <noscript>
        <button type="submit" className="button">
          Apply filters
        </button>
      </noscript>
    </Form>
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

function ActiveToggle({ id, sku, active }: { id: string; sku: string; active: boolean }) {
  const fetcher = useFetcher<{ ok: boolean; message: string }>();
  const toast = useToast();
  const shown = fetcher.formData ? fetcher.formData.get("active") === "true" : active;
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data) toast(fetcher.data.message, fetcher.data.ok ? "success" : "error");
  }, [fetcher.state, fetcher.data, toast]);
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="toggle" />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="active" value={String(!shown)} />
      <button type="submit" className={`switch ${shown ? "on" : ""}`} role="switch" aria-checked={shown} aria-label={`${sku} active`}>
        <span className="switch-label">{shown ? "Active" : "Inactive"}</span>
      </button>
    </fetcher.Form>
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

interface PagingProps {
  total: number;
  /** A bounded total: there may be pages after the last one it accounts for. */
  totalExact: boolean;
  fullPage: boolean;
  page: number;
  pageSize: number;
}

function Paging({ total, totalExact, fullPage, page, pageSize }: PagingProps) {
  const location = useLocation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const hasNext = totalExact ? page < pages : fullPage;
  const hrefFor = (changes: Record<string, string>) => {
    const params = new URLSearchParams(location.search);
    for (const [key, value] of Object.entries(changes)) params.set(key, value);
    return `${location.pathname}?${params}`;
  };
  return (
    <nav className="pagination" aria-label="Pages">
      <Form method="get" className="page-size">
        {[...new URLSearchParams(location.search)].filter(([key]) => key !== "size" && key !== "page").map(([key, value]) => (
          <input key={key} type="hidden" name={key} value={value} />
        ))}
        <label>
          Per page{" "}
          <select name="size" defaultValue={pageSize} onChange={(event) => event.currentTarget.form?.requestSubmit()}>
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
      </Form>
      {page > 1 ? <Link to={hrefFor({ page: String(page - 1) })}>← Previous</Link> : <span aria-hidden="true">← Previous</span>}
      <span>
        Page {formatCount(page)}
        {totalExact ? ` of ${formatCount(pages)}` : ""}
      </span>
      {hasNext ? <Link to={hrefFor({ page: String(page + 1) })}>Next →</Link> : <span aria-hidden="true">Next →</span>}
    </nav>
  );
}

function ConfirmDelete({ id, items, back }: { id: string; items: { id: string; sku: string }[]; back: string }) {
  const navigate = useNavigate();
  const sku = items.find((item) => item.id === id)?.sku ?? `product ${id}`;
  return (
    <Modal title={`Delete ${sku}?`} onClose={() => navigate(back, { replace: true, preventScrollReset: true })}>
      <p>The product is removed from the catalog. This cannot be undone.</p>
      <Form method="post" className="dialog-actions" replace>
        <input type="hidden" name="intent" value="delete" />
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="sku" value={sku} />
        <Link to={back} className="button" replace>
          Cancel
        </Link>
        <button type="submit" className="button danger">
          Delete {sku}
        </button>
      </Form>
    </Modal>
  );
}

function ConfirmDeleteAll({ total, back }: { total: number; back: string }) {
  const navigate = useNavigate();
  const [typed, setTyped] = useState("");
  return (
    <Modal title="Delete all products?" onClose={() => navigate(back, { replace: true, preventScrollReset: true })}>
      <p>
        All <strong>{formatCount(total)}</strong> products will be deleted. This cannot be undone.
      </p>
      <Form method="post" replace>
        <input type="hidden" name="intent" value="deleteAll" />
        <label>
          Type DELETE to confirm
          <input name="confirmation" autoComplete="off" value={typed} onChange={(event) => setTyped(event.target.value)} />
        </label>
        <div className="dialog-actions">
          <Link to={back} className="button" replace>
            Cancel
          </Link>
          <button type="submit" className="button danger" disabled={typed !== "DELETE"}>
            Delete all {formatCount(total)} products
          </button>
        </div>
      </Form>
    </Modal>
  );
}
