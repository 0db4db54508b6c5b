export const autoscalingErrors = {
  AUTOSCALING_POLICY_NOT_FOUND: "NOT_FOUND",
  AUTOSCALING_OWNS_REPLICAS: "CONFLICT",
} as const;
