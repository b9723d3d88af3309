import { createContext, useContext } from "react";

const NonceContext = createContext<string | undefined>(undefined);
export const NonceProvider = NonceContext.Provider;
/** The CSP nonce of this response (server render only; browsers hide it from scripts anyway). */
export const useNonce = () => useContext(NonceContext);
