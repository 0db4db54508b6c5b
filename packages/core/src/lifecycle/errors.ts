export const lifecycleErrors = {
  OPERATION_NOT_FOUND: "NOT_FOUND",
  OPERATION_NOT_FAILED: "CONFLICT",
} as const;
