/**
 * A request the domain turns down, with a message for the person who made it. The API answers it
 * with the tRPC code for its kind (see trpc.ts); anything else thrown is a server error.
 */
export class Refusal extends Error {
  constructor(
    readonly kind: "not_found" | "conflict" | "invalid",
    message: string,
  ) {
    super(message);
  }
}
