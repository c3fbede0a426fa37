import type { Kysely } from "kysely";
import type { RequestHandler } from "express";
import type { Database } from "../../../db/schema.js";
import { findImport, type ImportRow } from "../imports.table.js";
import { toImportJson } from "../import-json.js";
import { isTerminal } from "../import-status.js";
import type { ProgressHub } from "./progress-hub.js";
import { asyncRoute } from "../../http/async-route.js";
import { isId } from "../../ids.schema.js";
import { Refusal, sendRefusal } from "../../refusal.js";
import { ImportNotFound } from "../import-errors.js";

const HEARTBEAT_MS = 15_000;

/**
 * `GET /api/imports/:id/events`: the import as it is now, then every change, ending after a
 * terminal status. Event ids are the import's version, so a reconnect with Last-Event-ID skips
 * what the browser already has.
 */
export function progressRoute(deps: { db: Kysely<Database>; hub: ProgressHub }): RequestHandler {
  return asyncRoute(async (req, res) => {
    const id = req.params.id ?? "";
    if (!isId(id)) return sendRefusal(res, new Refusal("invalid", "The import id must be a number."));
    const lastSeen = Number(req.get("last-event-id") ?? 0) || 0;
    let sent = lastSeen;
    let closed = false;
    const pending: ImportRow[] = [];
    const unsubscribe = deps.hub.subscribe(
      id,
      (row) => {
        if (started) send(row);
        else pending.push(row);
      },
      () => (started ? close() : res.destroy()),
    );
    let started = false;
    const current = await findImport(deps.db, id).catch(() => undefined);
    if (!current || req.destroyed) {
      unsubscribe();
      return sendRefusal(res, new ImportNotFound(id));
    }
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    res.write("retry: 2000\n\n");
    const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), HEARTBEAT_MS);
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      res.end();
    };
    req.on("close", close);

    function send(row: ImportRow) {
      if (closed) return;
      if (row.version > sent) {
        sent = row.version;
        res.write(`id: ${row.version}\nevent: progress\ndata: ${JSON.stringify(toImportJson(row))}\n\n`);
      }
      if (isTerminal(row.status)) close();
    }

    started = true;
    // A reconnecting browser that is already up to date gets nothing new, but a fresh one always
    // receives the current state at once.
    if (lastSeen === 0 || current.version > lastSeen) send(current);
    else if (isTerminal(current.status)) close();
    for (const row of pending.splice(0)) send(row);
  });
}
