import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Event types · Webhooks · Product Importer" }];

export async function loader({ context }: LoaderFunctionArgs) {
  return { eventTypes: await context.trpc.webhooks.eventTypes({}) };
}

/** Every event type with its JSON Schema and an example: generated from the schemas that check each payload. */
export default function EventTypesPage() {
  const { eventTypes } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="crumbs">
        <Link to="/webhooks">Webhooks</Link> / event types
      </p>
      <div className="page-head">
        <h1>Event types</h1>
      </div>
      <p className="hint">
        Each message is a JSON object with the event&apos;s <code>id</code> (also its <code>webhook-id</code> header), <code>type</code>,{" "}
        <code>createdAt</code> and <code>data</code>. The schemas are the ones every payload is checked against before it is recorded. The same list
        is <code>webhooks.eventTypes</code> in the API.
      </p>
      <ul className="event-types">
        {eventTypes.map((entry) => (
          <li key={entry.type} className="panel" id={entry.type}>
            <h2>
              <code>{entry.type}</code>
            </h2>
            <p>{entry.description}</p>
            <details>
              <summary>Example</summary>
              <pre className="json">{JSON.stringify(entry.example, null, 2)}</pre>
            </details>
            <details>
              <summary>JSON Schema</summary>
              <pre className="json">{JSON.stringify(entry.schema, null, 2)}</pre>
            </details>
          </li>
        ))}
      </ul>
    </>
  );
}
