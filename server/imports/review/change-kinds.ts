/** The changes a review lists, in this order: what changes existing products first. */
export const CHANGE_KINDS = ["update", "create", "remove"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];
