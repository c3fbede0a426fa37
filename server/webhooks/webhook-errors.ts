import { Refusal } from "../refusal.js";

export class WebhookNotFound extends Refusal {
  constructor(id: string) {
    super("not_found", `There is no webhook ${id}.`);
  }
}

export class DeliveryNotFound extends Refusal {
  constructor(id: string) {
    super("not_found", `There is no delivery ${id}.`);
  }
}

/** A URL the server will not call; the message says why, next to the form's URL field. */
export class WebhookUrlRefused extends Refusal {
  constructor(reason: string) {
    super("invalid", reason, { field: "url" });
  }
}
