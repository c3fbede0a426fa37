import { Refusal } from "../refusal.js";

export class ImportNotFound extends Refusal {
  constructor(id: string) {
    super("not_found", `There is no import ${id}.`);
  }
}
