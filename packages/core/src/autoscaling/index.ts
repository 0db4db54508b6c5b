export { setAutoscalingPolicy, clearAutoscalingPolicy, getAutoscaling, getAutoscalingPolicy, listAutoscalingDecisions } from "./manage-autoscaling";
export { evaluateAutoscaling, autoscalingEvaluationIntervalMs, type AutoscalingPassResult } from "./evaluate-autoscaling";
export { planScale, METRIC_WINDOW_MS, type ScalePlan, type ScaleInput, type ScalePolicy } from "./plan-scale";
