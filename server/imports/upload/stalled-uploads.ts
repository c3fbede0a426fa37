import type { Kysely } from "kysely";
import type { Database } from "../../../db/schema.js";
import type { Logger } from "../../logger.js";
import { failImport } from "../import-outcome.js";
import { stalledUploadIds } from "../imports.table.js";

/**
 * An upload reports every 400 ms while its request is open, even when the client pauses. This long
 * without a word means the process receiving it died; its staging rolled back with it.
 */
const SILENT_FOR_SECONDS = 60;

export async function failStalledUploads(db: Kysely<Database>, log: Logger): Promise<void> {
  for (const id of await stalledUploadIds(db, SILENT_FOR_SECONDS)) {
    const failed = await failImport(db, id, {
      transition: "failUpload",
      error: "The upload stopped before the whole file arrived (the server receiving it stopped). Upload the file again.",
      retryable: false,
    });
    if (failed) log.warn({ importId: id }, "stalled upload failed");
  }
}
