import type { ProductImporterClient } from "../../server/web/client.js";

/** The fields table outlives a test (resetCatalog empties products only): a test that defines fields starts from none. */
export async function deleteEveryField(api: ProductImporterClient): Promise<void> {
  for (const field of await api.fields.list.query({})) await api.fields.delete.mutate({ key: field.key });
}
