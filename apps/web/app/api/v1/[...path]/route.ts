// The public REST API (/api/v1): every method goes to the adapter in @wharf/api.
import { handleRestRequest } from "@wharf/api";

export const dynamic = "force-dynamic";

export const GET = handleRestRequest;
export const POST = handleRestRequest;
export const PUT = handleRestRequest;
export const PATCH = handleRestRequest;
export const DELETE = handleRestRequest;
