// The public REST API (/api/v1): every method goes to the adapter in @wharf/api.
import { handleRestRequest } from "@wharf/api";

export const dynamic = "force-dynamic";

export const GET = handleRestRequest;
export const POST = handleRestRequest;
export const PUT = handleRestRequest;
export const PATCH = handleRestRequest;
export const DELETE = handleRestRequest;
// CORS preflights: answered by the adapter too (packages/api/src/rest/cors.ts), or Next.js would answer them itself without CORS headers.
export const OPTIONS = handleRestRequest;
