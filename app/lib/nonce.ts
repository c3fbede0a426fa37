import { createContext, useContext } from "react";

/**
 * The CSP nonce of the response being rendered. Only the server knows it; in the browser it is
 * empty, which is fine: scripts added after hydration come from files, not inline.
 */
export const NonceContext = createContext<string | undefined>(undefined);
export const useNonce = () => useContext(NonceContext);
