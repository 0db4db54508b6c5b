// Imported first by main.ts: in production, a missing or malformed setting stops the worker here,
// with one line naming it, before any other module reads the environment or connects anywhere.
// AUTH_SECRET is the web tier's alone (sessions); the worker never reads it.
import { requireProductionSettings } from "@wharf/contracts/production-settings";

requireProductionSettings("wharf worker", ["DATABASE_URL", "WHARF_ENCRYPTION_KEY", "WHARF_PUBLIC_URL"]);
