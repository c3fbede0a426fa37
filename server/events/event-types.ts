/** What the outbox records and webhooks subscribe to, for whoever shows or chooses them (app/). */
export { EVENT_TYPES, type EventType } from "../../db/schema.js";
