import { appErrors } from "./apps/errors";
import { catalogErrors } from "./catalog/errors";
import { clusterErrors } from "./clusters/errors";
import { identityErrors } from "./identity/errors";
import { lifecycleErrors } from "./lifecycle/errors";
import { spaceErrors } from "./spaces/errors";
import { tenancyErrors } from "./tenancy/errors";
import { keysErrors } from "./keys/errors";
import { partnersErrors } from "./partners/errors";
import { usageErrors } from "./usage/errors";
import { telemetryErrors } from "./telemetry/errors";
import { sloErrors } from "./slo/errors";
import { topologyErrors } from "./topology/errors";
import { idempotencyErrors } from "./idempotency/errors";
import { cmdbErrors } from "./cmdb/errors";
import { incidentErrors } from "./incidents/errors";
import { deployGateErrors } from "./deploy-gate/errors";
import { autoscalingErrors } from "./autoscaling/errors";
import { releaseErrors } from "./releases/errors";

/** What kind of failure an error is; the transports map kinds to status codes. */
export type ErrorKind =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "UNPROCESSABLE"
  | "TOO_MANY_REQUESTS"
  | "UNAVAILABLE";

const errorKinds = {
  ...identityErrors,
  ...tenancyErrors,
  ...clusterErrors,
  ...spaceErrors,
  ...lifecycleErrors,
  ...catalogErrors,
  ...appErrors,
  ...keysErrors,
  ...partnersErrors,
  ...usageErrors,
  ...telemetryErrors,
  ...sloErrors,
  ...topologyErrors,
  ...cmdbErrors,
  ...incidentErrors,
  ...deployGateErrors,
  ...autoscalingErrors,
  ...releaseErrors,
  ...idempotencyErrors,
  PERMISSION_DENIED: "FORBIDDEN",
  INVALID_INPUT: "BAD_REQUEST",
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof errorKinds;

/** Every code and its kind: the REST API documents them. */
export const ERROR_KINDS: Readonly<Record<ErrorCode, ErrorKind>> = errorKinds;

/** Thrown by core for every failure a caller can act on; never a stack trace to the user. */
export class AppError extends Error {
  readonly kind: ErrorKind;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = "AppError";
    this.kind = errorKinds[code];
  }
}

export const HTTP_STATUS: Record<ErrorKind, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE: 422,
  TOO_MANY_REQUESTS: 429,
  UNAVAILABLE: 503,
};
