/** Domain refusals; the API layer turns them into tRPC codes. */
export class WebhookNotFound extends Error {
  constructor(id: string) {
    super(`There is no webhook ${id}.`);
  }
}

/** A URL the server will not call; the message says why, shaped like a zod issue on `url`. */
export class WebhookUrlRefused extends Error {
  get issues() {
    return [{ path: ["url"], message: this.message }];
  }
}
