/** The apply choices an upload offers, for forms and the API alike (client-safe: no server imports). */
export { EMPTY_DESCRIPTION_RULES, IMPORT_MODES, SYNC_ACTIONS } from "../../db/schema.js";
