import { Form, useLocation, useSubmit } from "@remix-run/react";
import { COLUMNS_PARAM, columnsParamOf } from "~/lib/product-columns";
import { Fragment, useEffect, useRef, type KeyboardEvent } from "react";
import { SORT_LABELS, STOCK_CHOICES, stockChoiceOf, type ListState } from "~/lib/product-filters";
import { useCurrency } from "~/lib/use-currency";
import { PRODUCT_SORTS } from "../../server/products/product.schema";
import { useFields } from "~/lib/use-fields";
import { attributeTarget } from "../../server/products/custom-fields/attribute-target.schema";
import { RANGE_TYPES } from "../../server/products/custom-fields/field-values.schema";

/**
 * A filter per field of the team's own, by its type: one of a choice's options, yes or no, a
 * from–to range for numbers and dates, and text to equal (a list field: an item it holds).
 */
function CustomFieldFilters({ state }: { state: ListState }) {
  const fields = useFields();
  return (
    <>
      {fields.map((field) => {
        const target = attributeTarget(field.key);
        const condition = state.attributes?.[field.key];
        const id = `list-${target.replace(".", "-")}`;
        if (RANGE_TYPES.includes(field.type)) {
          const range = typeof condition === "object" ? condition : {};
          const kind = field.type === "date" ? "date" : "text";
          return (
            <Fragment key={field.key}>
              <label>
                {field.label} from
                <input
                  type={kind}
                  name={`${target}.min`}
                  defaultValue={range.min ?? ""}
                  inputMode={kind === "text" ? "decimal" : undefined}
                  autoComplete="off"
                />
              </label>
              <label>
                {field.label} to
                <input
                  type={kind}
                  name={`${target}.max`}
                  defaultValue={range.max ?? ""}
                  inputMode={kind === "text" ? "decimal" : undefined}
                  autoComplete="off"
                />
              </label>
            </Fragment>
          );
        }
        const value = typeof condition === "string" ? condition : "";
        if (field.type === "choice" || field.type === "boolean") {
          const options =
            field.type === "boolean"
              ? [
                  ["true", "Yes"],
                  ["false", "No"],
                ]
              : (field.options ?? []).map((option) => [option, option]);
          return (
            <div className="filter-field" key={field.key}>
              <label htmlFor={id}>{field.label}</label>
              <select id={id} name={target} defaultValue={value}>
                <option value="">Any</option>
                {options.map(([optionValue, label]) => (
                  <option key={optionValue} value={optionValue}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
          );
        }
        return (
          <label key={field.key}>
            {field.label}
            <input type="search" name={target} defaultValue={value} autoComplete="off" />
          </label>
        );
      })}
    </>
  );
}

/** Inputs that take typed text; a checkbox or button with focus leaves `/` to the page. */
const TEXT_INPUTS = new Set(["text", "search", "email", "url", "password", "number", "tel"]);

/** Whether a key press belongs to something being typed in, not to the page's shortcuts. */
const typingIn = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable ||
    target.tagName === "TEXTAREA" ||
    target.tagName === "SELECT" ||
    (target instanceof HTMLInputElement && TEXT_INPUTS.has(target.type)));

/**
 * Filters submit as a GET form: typing is debounced (Enter applies at once), each settled filter
 * is a history entry (Back returns to the previous one), and the first page is shown again. `/`
 * anywhere on the page focuses the first filter.
 */
export function ProductFiltersForm({ state }: { state: ListState }) {
  const submit = useSubmit();
  const columns = columnsParamOf(new URLSearchParams(useLocation().search));
  const fields = useFields();
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
      brand: state.brand ?? "",
      category: state.category ?? "",
      tag: state.tag ?? "",
      priceMin: state.priceMin ?? "",
      priceMax: state.priceMax ?? "",
      stock: stockChoiceOf(state),
      ...Object.fromEntries(
        fields.flatMap((field) => {
          const condition = state.attributes?.[field.key];
          const target = attributeTarget(field.key);
          if (RANGE_TYPES.includes(field.type)) {
            const range = typeof condition === "object" ? condition : {};
            return [
              [`${target}.min`, range.min ?? ""],
              [`${target}.max`, range.max ?? ""],
            ];
          }
          return [[target, typeof condition === "string" ? condition : ""]];
        }),
      ),
    };
    const sorting = { sort: state.sort ?? "", order: state.order ?? "asc", view: state.variants ? "variants" : "" };
    for (const [field, value] of Object.entries({ ...wanted, ...sorting })) {
      const input = form.elements.namedItem(field) as HTMLInputElement | HTMLSelectElement | null;
      if (input && input !== document.activeElement && input.value !== value) input.value = value;
    }
  }, [state, fields]);
  useEffect(() => {
    const focusFirstFilter = (event: globalThis.KeyboardEvent) => {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
      if (document.querySelector("dialog[open]")) return;
      event.preventDefault();
      formRef.current?.querySelector<HTMLInputElement>("input[type=search]")?.focus();
    };
    document.addEventListener("keydown", focusFirstFilter);
    return () => document.removeEventListener("keydown", focusFirstFilter);
  }, []);
  const currency = useCurrency();
  const customStock = !stockChoiceOf(state) && (state.stockMin !== undefined || state.stockMax !== undefined);
  const applyOnEnter = (event: KeyboardEvent<HTMLFormElement>) => {
    // Enter that ends an IME composition picks the word; it does not apply the filter.
    if (event.key !== "Enter" || event.nativeEvent.isComposing || !(event.target instanceof HTMLInputElement)) return;
    event.preventDefault();
    send(0);
  };
  return (
    <Form
      method="get"
      className="panel filters"
      ref={formRef}
      onChange={(event) => send((event.target as HTMLElement).tagName === "SELECT" ? 0 : 300)}
      onKeyDown={applyOnEnter}
    >
      <label>
        SKU
        <input type="search" name="sku" defaultValue={state.sku ?? ""} autoComplete="off" aria-keyshortcuts="/" />
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
      <label>
        Brand
        <input type="search" name="brand" defaultValue={state.brand ?? ""} autoComplete="off" />
      </label>
      <label>
        Category
        <input type="search" name="category" defaultValue={state.category ?? ""} autoComplete="off" placeholder="Apparel > Shirts" />
      </label>
      <label>
        Tag
        <input type="search" name="tag" defaultValue={state.tag ?? ""} autoComplete="off" />
      </label>
      <label>
        Price from{currency ? ` (${currency})` : ""}
        <input type="text" name="priceMin" inputMode="decimal" defaultValue={state.priceMin ?? ""} autoComplete="off" />
      </label>
      <label>
        Price to{currency ? ` (${currency})` : ""}
        <input type="text" name="priceMax" inputMode="decimal" defaultValue={state.priceMax ?? ""} autoComplete="off" />
      </label>
      <div className="filter-field">
        <label htmlFor="list-stock">Stock</label>
        <select id="list-stock" name="stock" defaultValue={stockChoiceOf(state)}>
          <option value="">Any</option>
          {Object.entries(STOCK_CHOICES).map(([value, choice]) => (
            <option key={value} value={value}>
              {choice.label}
            </option>
          ))}
        </select>
      </div>
      <label>
        Group
        <input type="search" name="group" defaultValue={state.group ?? ""} autoComplete="off" placeholder="a handle, exactly" />
      </label>
      <div className="filter-field">
        <label htmlFor="list-images">Images</label>
        <select id="list-images" name="images" defaultValue={state.hasImages === undefined ? "" : state.hasImages ? "with" : "without"}>
          <option value="">Any</option>
          <option value="with">With images</option>
          <option value="without">Without images</option>
        </select>
      </div>
      <CustomFieldFilters state={state} />
      {/* A stock range from a shared link (?stockMax=5) stays until the Stock choice replaces it. */}
      {customStock && state.stockMin !== undefined ? <input type="hidden" name="stockMin" value={state.stockMin} /> : null}
      {customStock && state.stockMax !== undefined ? <input type="hidden" name="stockMax" value={state.stockMax} /> : null}
      {/* Labelled by id, not by wrapping: a wrapping label's name would include every option ("Name", "SKU"…). */}
      <div className="filter-field">
        <label htmlFor="list-sort">Sort by</label>
        <select id="list-sort" name="sort" defaultValue={state.sort ?? ""}>
          <option value="">As added</option>
          {PRODUCT_SORTS.map((sort) => (
            <option key={sort} value={sort}>
              {SORT_LABELS[sort]}
            </option>
          ))}
        </select>
      </div>
      <div className="filter-field">
        <label htmlFor="list-order">Order</label>
        <select id="list-order" name="order" defaultValue={state.order ?? "asc"}>
          <option value="asc">Ascending</option>
          <option value="desc">Descending</option>
        </select>
      </div>
      <div className="filter-field">
        <label htmlFor="list-view">Variants</label>
        <select id="list-view" name="view" defaultValue={state.variants ? "variants" : ""}>
          <option value="">A group on one line</option>
          <option value="variants">Each on its own row</option>
        </select>
      </div>
      <input type="hidden" name="size" value={state.pageSize} />
      {/* The column choice is not a filter: it stays as the filters change. */}
      {columns !== null ? <input type="hidden" name={COLUMNS_PARAM} value={columns} /> : null}
      <noscript>
        <button type="submit" className="button">
          Apply filters
        </button>
      </noscript>
    </Form>
  );
}
