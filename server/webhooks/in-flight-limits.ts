/** Requests in flight at once to one endpoint: the default and the bounds the form, the API and the database share. */
export const IN_FLIGHT_LIMITS = { default: 4, min: 1, max: 32 } as const;
