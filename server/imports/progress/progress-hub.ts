import type { Kysely } from "kysely";
import pg from "pg";
import type { Database } from "../../../db/schema.js";
import { findImport, PROGRESS_CHANNEL, type ImportRow } from "../imports.table.js";

type Listener = (row: ImportRow) => void;

/**
 * One LISTEN connection per process fans import changes out to every open progress stream, so a
 * thousand watching browsers cost one connection and one read per change, not a poll each.
 */
export class ProgressHub {
  private client: pg.Client | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  /** How to end each open stream when the process shuts down. */
  private readonly enders = new Set<() => void>();
  private readonly reading = new Map<string, { again: boolean }>();
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly connectionString: string,
    private readonly db: Kysely<Database>,
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: "product-importer:listen" });
    client.on("notification", (message) => {
      if (message.payload) this.refresh(message.payload);
    });
    client.on("error", () => this.reconnectSoon());
    client.on("end", () => this.reconnectSoon());
    await client.connect();
    await client.query(`LISTEN ${PROGRESS_CHANNEL}`);
    this.client = client;
    // Changes made while we were not listening are picked up by reading every watched import again.
    for (const id of this.listeners.keys()) this.refresh(id);
  }

  private reconnectSoon(): void {
    if (this.stopped || this.retryTimer) return;
    this.client?.removeAllListeners();
    this.client?.end().catch(() => {});
    this.client = null;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.start().catch(() => this.reconnectSoon());
    }, 1000);
  }

  /** `end` closes the subscriber's stream when the process shuts down: browsers reconnect elsewhere. */
  subscribe(importId: string, listener: Listener, end: () => void): () => void {
    if (this.stopped) {
      // Shutting down: this stream would never hear of a change; the browser reconnects elsewhere.
      setImmediate(end);
      return () => {};
    }
    let set = this.listeners.get(importId);
    if (!set) this.listeners.set(importId, (set = new Set()));
    set.add(listener);
    this.enders.add(end);
    return () => {
      set!.delete(listener);
      this.enders.delete(end);
      if (!set!.size) this.listeners.delete(importId);
    };
  }

  /** Reads the import once per burst of notifications and hands the row to its listeners. */
  private refresh(importId: string): void {
    if (!this.listeners.has(importId)) return;
    const inFlight = this.reading.get(importId);
    if (inFlight) {
      inFlight.again = true;
      return;
    }
    const state = { again: false };
    this.reading.set(importId, state);
    findImport(this.db, importId)
      .then((row) => {
        if (row) for (const listener of this.listeners.get(importId) ?? []) listener(row);
      })
      .catch(() => {})
      .finally(() => {
        this.reading.delete(importId);
        if (state.again) this.refresh(importId);
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const end of [...this.enders]) end();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    client?.removeAllListeners();
    await client?.end().catch(() => {});
  }
}
