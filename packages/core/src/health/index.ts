export { checkReadiness, type Readiness } from "./check-readiness";
export { beginShutdown, flushOnShutdown, onShutdown, ownShutdown, shutdownSignal } from "./shutdown";
