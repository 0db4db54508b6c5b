export const deployGateErrors = {
  DEPLOY_GATE_CLOSED: "CONFLICT",
  DEPLOY_GATE_OVERRIDE_FORBIDDEN: "FORBIDDEN",
} as const;
