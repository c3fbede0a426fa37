import { Form, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { ListState } from "~/lib/product-filters";

/**
 * Filters submit as a GET form: typing is debounced, each settled filter is a history entry (Back
 * returns to the previous one), and the first page is shown again.
 */
export function ProductFiltersForm({ state }: { state: ListState }) {
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
    <Form
      method="get"
      className="panel filters"
      ref={formRef}
      onChange={(event) => send((event.target as HTMLElement).tagName === "SELECT" ? 0 : 300)}
    >
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
