export { AppError, HTTP_STATUS, ERROR_KINDS, type ErrorCode, type ErrorKind } from "./errors";
export type { Actor, TenantScope } from "./context";

export * as identity from "./identity";
export * as tenancy from "./tenancy";
export * as audit from "./audit";
export * as clusters from "./clusters";
export * as spaces from "./spaces";
export * as lifecycle from "./lifecycle";
export * as apps from "./apps";
export * as catalog from "./catalog";
export * as keys from "./keys";
export * as partners from "./partners";
export * as usage from "./usage";
export * as telemetry from "./telemetry";
export * as slo from "./slo";
export * as topology from "./topology";
export * as cmdb from "./cmdb";
export * as idempotency from "./idempotency";
