import type { ImportJson } from "../../server/imports/import-json.js";

/**
 * What `POST /api/imports` answers. Accepted (202): the import's `id` and the `import` as staged,
 * which is when a test reads them. Refused: `error` says why (with the `id` of the import once one
 * was made).
 */
export interface UploadAnswer {
  status: number;
  body: { id: string; import: ImportJson; error?: string };
}
