/**
 * What lists show of a signing secret: enough to tell two apart, never enough to sign with. Kept
 * apart from the schema so the page can check a revealed secret against the endpoint it shows.
 */
export const secretHint = (secret: string) => `whsec_…${secret.slice(-4)}`;
