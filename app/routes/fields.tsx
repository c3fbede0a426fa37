import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData } from "@remix-run/react";
import { FIELD_TYPE_LABELS } from "../../server/products/custom-fields/field-values.schema";

export const meta: MetaFunction = () => [{ title: "Fields · Product Importer" }];

/** The team's own fields; adding, changing and deleting one are dialogs (child routes). */
export async function loader({ context }: LoaderFunctionArgs) {
  return { fields: await context.trpc.fields.list({}) };
}

export default function FieldsPage() {
  const { fields } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>Fields</h1>
        <div className="head-actions">
          <Link className="button primary" to="/fields/new" preventScrollReset>
            Add field
          </Link>
        </div>
      </div>
      <p className="hint">
        Every product has a SKU, a name, a description, prices, stock and the other built-in fields. Add fields of your own here: a file fills one
        from a column named after its label or <code>attributes.key</code>, the product dialog edits it, the list filters by it and the export writes
        it.
      </p>
      <section className="panel">
        {fields.length === 0 ? (
          <p className="empty">No fields of your own yet. Add one, or create one from a file's column while importing it.</p>
        ) : (
          <div className="table-scroll">
            <table className="fields-table stack-on-phone">
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Key</th>
                  <th scope="col">Type</th>
                  <th scope="col">Required</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {fields.map((field) => (
                  <tr key={field.key}>
                    <td data-label="Field">{field.label}</td>
                    <td data-label="Key">
                      <code>attributes.{field.key}</code>
                    </td>
                    <td data-label="Type">
                      {FIELD_TYPE_LABELS[field.type]}
                      {field.options ? <span className="hint"> · {field.options.join(", ")}</span> : null}
                    </td>
                    <td data-label="Required">{field.required ? "Required" : "Optional"}</td>
                    <td className="row-actions wide">
                      <Link to={`/fields/${field.key}/edit`} preventScrollReset aria-label={`Edit ${field.label}`}>
                        Edit
                      </Link>
                      <Link to={`/fields/${field.key}/delete`} className="danger-link" preventScrollReset aria-label={`Delete ${field.label}`}>
                        Delete
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <Outlet />
    </>
  );
}
