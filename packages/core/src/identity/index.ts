export { signUp, isOperatorEmail } from "./sign-up";
export { verifyCredentials, type SignedInUser } from "./verify-credentials";
export { assertSignInAllowed, recordSignInFailure, pruneSignInFailures, MAX_FAILURES, WINDOW_MS } from "./sign-in-throttle";
export { findOrCreateOidcUser } from "./find-or-create-oidc-user";
