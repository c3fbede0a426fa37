/** Domain refusals; the API layer turns them into tRPC codes. */
export class ProductNotFound extends Error {
  constructor(id: string) {
    super(`There is no product ${id}.`);
  }
}

export class SkuTaken extends Error {
  constructor(sku: string, existing: string) {
    super(
      existing === sku
        ? `A product with SKU "${sku}" already exists.`
        : `A product with SKU "${sku}" already exists (stored as "${existing}"); SKUs are compared without regard to case.`,
    );
  }
}

export class CatalogBusy extends Error {
  constructor() {
    super("The catalog is busy (an import is being applied, its search indexes are being rebuilt, or a long export is running); nothing was deleted. Try again once it has finished.");
  }
}
