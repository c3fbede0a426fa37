import pg from "pg";
import type { EventPayload } from "../../server/events/event-payloads.js";
import type { Receiver } from "./receiver.js";
import { waitUntil } from "./wait.js";

/**
 * A connection of the test's own (application_name "crash-test", so it is told apart from the
 * app's). Errors from a Postgres that goes away are kept, not thrown at the process.
 */
export async function testConnection(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString, application_name: "crash-test" });
  client.on("error", () => {});
  await client.connect();
  return client;
}

export interface ImportState {
  status: string;
  processed_rows: number;
  total_rows: number;
  error: string | null;
}

export async function importState(client: pg.Client, id: string): Promise<ImportState> {
  const { rows } = await client.query<ImportState>("SELECT status, processed_rows, total_rows, error FROM imports WHERE id = $1", [id]);
  if (!rows[0]) throw new Error(`there is no import ${id}`);
  return rows[0];
}

/**
 * Waits until the import's merge statement is running: `processing`, and the merge counter has
 * moved (rows are being fed into the catalog inside the merge transaction). Fails clearly if it
 * ends first: then the file is too small for the machine to interrupt it mid-merge.
 */
export async function waitForMergeRunning(client: pg.Client, id: string, timeoutMs = 90_000): Promise<ImportState> {
  return waitUntil(
    `import ${id} to be merging`,
    async () => {
      const state = await importState(client, id);
      if (["completed", "failed", "cancelled"].includes(state.status)) {
        throw new Error(`import ${id} ended (${state.status}, ${state.error ?? "no error"}) before the test could interrupt its merge`);
      }
      return state.status === "processing" && state.processed_rows > 0 ? state : undefined;
    },
    timeoutMs,
    20,
  );
}

/** Sessions the app still has open on the test database (pool, job queue, LISTEN, a merge in flight). */
export async function appSessions(client: pg.Client): Promise<{ pid: number; application_name: string; state: string; query: string }[]> {
  const { rows } = await client.query(
    `SELECT pid, application_name, state, left(query, 120) AS query FROM pg_stat_activity
     WHERE datname = current_database() AND application_name LIKE 'product-importer%'`,
  );
  return rows;
}

/** The `import.*` outbox rows recorded for one import. */
export async function importEvents(client: pg.Client, id: string): Promise<{ id: string; type: string }[]> {
  const { rows } = await client.query("SELECT id::text AS id, type FROM events WHERE type LIKE 'import.%' AND data->>'id' = $1 ORDER BY position", [
    id,
  ]);
  return rows;
}

/** Webhook requests the receiver got about one import. */
export function deliveriesAbout(receiver: Receiver, id: string) {
  return receiver.received
    .map((request) => ({
      webhookId: String(request.headers["webhook-id"]),
      body: JSON.parse(request.body) as { id: string; type: string; data: EventPayload<"import.completed" | "import.failed" | "import.reverted"> },
    }))
    .filter((delivery) => delivery.body.type.startsWith("import.") && String(delivery.body.data?.id) === String(id));
}

/** The last lines of a process's output, for failure messages (request logs left out: the tests poll). */
export function tail(text: string, lines = 60): string {
  return text
    .split("\n")
    .filter((line) => !line.includes('"msg":"request completed"'))
    .slice(-lines)
    .map((line) => (line.length > 600 ? `${line.slice(0, 600)}…` : line))
    .join("\n");
}

/**
 * Waits for `work`, but fails at once (with the process's log) if the server process exits
 * meanwhile, instead of polling a dead server until a timeout.
 */
export async function whileAlive<T>(
  server: { exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; output: () => string },
  what: string,
  work: Promise<T>,
): Promise<T> {
  const died = server.exited.then((exit) => {
    throw new Error(`the server exited (${JSON.stringify(exit)}) while waiting for ${what}; its log:\n${tail(server.output())}`);
  });
  died.catch(() => {});
  return Promise.race([work, died]);
}
