import { useEffect, useState } from "react";

/** False in the server's HTML and until React takes over in the browser: what only works with scripts waits for true. */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
