import { useRouteLoaderData } from "@remix-run/react";
import type { loader as rootLoader } from "~/root";

/** The catalog's currency (the CURRENCY setting), as the root route loaded it (not on an error page). */
export const useCurrency = () => useRouteLoaderData<typeof rootLoader>("root")?.currency;
