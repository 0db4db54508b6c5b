export { getDeployGatePolicy, updateDeployGatePolicy } from "./manage-gate-policy";
export { getAppDeployGate } from "./get-app-deploy-gate";
export { decideDeployGate, gateRefusalMessage, DEFAULT_GATE_POLICY, type GatePolicy, type GateSlo, type GateAlert } from "./decide-deploy-gate";
