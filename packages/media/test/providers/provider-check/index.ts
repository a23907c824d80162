/**
 * Holds what the provider fakes receive to the providers' own definitions (the copies under ../definitions), so a
 * fake cannot drift from its provider. Also used by apps/server's fake providers.
 */
export { checkRequest, type SentRequest } from "./check-request";
export type { Operation, Provider } from "./operation";
export { providerOperations } from "./operations";
