import { Refusal } from "../refusal.js";

/** What the catalog turns down; the API answers with the code for each kind. */
export class ProductNotFound extends Refusal {
  constructor(id: string) {
    super("not_found", `There is no product ${id}.`);
  }
}

export class SkuTaken extends Refusal {
  constructor(sku: string, existing: string) {
    super(
      "conflict",
      existing === sku
        ? `A product with SKU "${sku}" already exists.`
        : `A product with SKU "${sku}" already exists (stored as "${existing}"); SKUs are compared without regard to case.`,
      { field: "sku" },
    );
  }
}

export class CatalogBusy extends Refusal {
  constructor() {
    super(
      "conflict",
      "The catalog is busy (an import is being applied, its search indexes are being rebuilt, or a long export is running); nothing was changed. Try again once it has finished.",
    );
  }
}
