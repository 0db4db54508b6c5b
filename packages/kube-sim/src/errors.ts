// Kubernetes-shaped errors: every failure leaves the server as a meta/v1 Status object.

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

const reasonsByCode: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  406: "NotAcceptable",
  409: "Conflict",
  410: "Expired",
  413: "RequestEntityTooLarge",
  415: "UnsupportedMediaType",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  504: "Timeout",
};

export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason: string = reasonsByCode[code] ?? "Unknown",
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): StatusObject {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

export interface StatusObject {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, unknown>;
  status: "Failure" | "Success";
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** `deployments.apps "web"` — the way the API server names an object in messages. */
export function qualified(plural: string, group: string, name: string): string {
  return `${group ? `${plural}.${group}` : plural} "${name}"`;
}

export const notFound = (plural: string, group: string, name: string) =>
  new ApiError(404, `${qualified(plural, group, name)} not found`, "NotFound", { name, group, kind: plural });

export const alreadyExists = (plural: string, group: string, name: string) =>
  new ApiError(409, `${qualified(plural, group, name)} already exists`, "AlreadyExists", { name, group, kind: plural });

export const conflict = (plural: string, group: string, name: string, why = "the object has been modified; please apply your changes to the latest version and try again") =>
  new ApiError(409, `Operation cannot be fulfilled on ${qualified(plural, group, name).replace(/ "/, ' "')}: ${why}`, "Conflict", {
    name,
    group,
    kind: plural,
  });

export const badRequest = (message: string) => new ApiError(400, message, "BadRequest");

export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): ApiError {
  const summary = causes.map((c) => `${c.field ?? ""}: ${c.message}`).join(", ");
  const gk = group ? `${kind}.${group}` : kind;
  return new ApiError(422, `${gk} "${name}" is invalid: ${summary}`, "Invalid", {
    name,
    group,
    kind,
    causes: causes.map((c) => ({ reason: c.reason ?? "FieldValueInvalid", message: c.message, field: c.field })),
  });
}

export function successStatus(details: StatusDetails): StatusObject {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details, code: 200 };
}
