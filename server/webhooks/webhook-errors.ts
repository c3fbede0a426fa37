import { Refusal } from "../refusal.js";

export class WebhookNotFound extends Refusal {
  constructor(id: string) {
    super("not_found", `There is no webhook ${id}.`);
  }
}

/** A URL the server will not call; the message says why, shaped like a zod issue on `url`. */
export class WebhookUrlRefused extends Refusal {
  constructor(reason: string) {
    super("invalid", reason);
  }

  get issues() {
    return [{ path: ["url"], message: this.message }];
  }
}
