import { DEFAULT_CONTAINER_REQUESTS, PLAN_QUOTAS, type SpacePlan } from "@wharf/contracts";
import { cpuMillicores, parseQuantity } from "@wharf/kube";
import { AppError } from "../errors";

export interface Demand {
  replicas: number;
  resources: { cpu?: string; memory?: string };
}

/** What one replica asks for: CPU in millicores, memory in bytes. */
function perReplica(resources: Demand["resources"]): { cpu: number; memory: number } {
  return {
    cpu: cpuMillicores(resources.cpu ?? DEFAULT_CONTAINER_REQUESTS.cpu),
    memory: parseQuantity(resources.memory ?? DEFAULT_CONTAINER_REQUESTS.memory),
  };
}

/** What the apps ask for together: CPU in millicores, memory in bytes, and pods. */
function totalDemand(demands: Demand[]): { cpu: number; memory: number; pods: number } {
  const total = { cpu: 0, memory: 0, pods: 0 };
  for (const d of demands) {
    const each = perReplica(d.resources);
    total.cpu += d.replicas * each.cpu;
    total.memory += d.replicas * each.memory;
    total.pods += d.replicas;
  }
  return total;
}

/**
 * Refuses a change whose apps would not fit the space's quota, before
 * anything reaches the cluster (which would otherwise create some pods and
 * leave the rest failing). The message says what is short and by how much.
 */
export function assertFitsQuota(plan: SpacePlan, demands: Demand[]): void {
  const quota = PLAN_QUOTAS[plan];
  const { cpu, memory, pods } = totalDemand(demands);
  const limitCpu = cpuMillicores(quota.cpu);
  const limitMemory = parseQuantity(quota.memory);
  const short: string[] = [];
  if (pods > quota.pods) short.push(`${pods} pods where the plan allows ${quota.pods}`);
  if (cpu > limitCpu) short.push(`${cpu / 1000} CPU where the plan allows ${limitCpu / 1000}`);
  if (memory > limitMemory) short.push(`${Math.ceil(memory / 2 ** 20)} MiB of memory where the plan allows ${Math.floor(limitMemory / 2 ** 20)} MiB`);
  if (short.length) {
    throw new AppError("QUOTA_EXCEEDED", `This would not fit the space's ${plan.toLowerCase()} plan: the apps would request ${short.join(", and ")}. Scale something down or ask an operator for a larger plan.`);
  }
}

/**
 * The most replicas one app (asking `resources` each) can run beside `others` within the
 * space's plan: what the autoscaler may scale up to before the quota refuses. The same
 * arithmetic as assertFitsQuota, solved for the app's replicas.
 */
export function maxReplicasWithinQuota(plan: SpacePlan, others: Demand[], resources: Demand["resources"]): number {
  const quota = PLAN_QUOTAS[plan];
  const { cpu, memory, pods } = totalDemand(others);
  const { cpu: perCpu, memory: perMemory } = perReplica(resources);
  const room = [
    quota.pods - pods,
    perCpu > 0 ? Math.floor((cpuMillicores(quota.cpu) - cpu) / perCpu) : Infinity,
    perMemory > 0 ? Math.floor((parseQuantity(quota.memory) - memory) / perMemory) : Infinity,
  ];
  return Math.max(0, Math.min(...room));
}
