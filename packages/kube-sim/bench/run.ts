// Benchmark: 1,000 namespaces x 5 deployments x 3 replicas (15,000 pods) in one cluster.
// Prints: time to create and converge, memory, p50/p99 of listing all pods in pages of 500,
// and the delay from a pod turning Ready to the event reaching 50 concurrent watchers.
//   pnpm --filter @wharf/kube-sim bench   [NAMESPACES=1000 is the default; pass --namespaces N]
import { Agent, request } from "node:https";
import { parseArgs } from "node:util";
import { startCluster } from "../src/index.js";

const { values } = parseArgs({ options: { namespaces: { type: "string", default: "1000" }, deployments: { type: "string", default: "5" }, replicas: { type: "string", default: "3" }, watchers: { type: "string", default: "50" } } });
const NS = Number(values.namespaces);
const DEPLOY = Number(values.deployments);
const REPLICAS = Number(values.replicas);
const WATCHERS = Number(values.watchers);
const PODS = NS * DEPLOY * REPLICAS;

const cluster = await startCluster({ name: "bench", podStartMs: 0, nodes: { count: Math.ceil(PODS / 100) + 1, pods: 110, cpu: "64", memory: "256Gi" } });
const agent = new Agent({ keepAlive: true, maxSockets: 64, ca: cluster.caCertPem });

function call(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<{ status: number; text: string }> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, cluster.url), { method, agent, headers: { Authorization: `Bearer ${cluster.token}`, ...(data ? { "Content-Type": contentType, "Content-Length": Buffer.byteLength(data) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    if (data) req.write(data);
    req.end();
  });
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>) {
  let i = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (i < items.length) await fn(items[i++] as T);
  }));
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;

console.log(`kube-sim bench: ${NS} namespaces x ${DEPLOY} deployments x ${REPLICAS} replicas = ${PODS} pods`);
const t0 = performance.now();
await pool([...Array(NS).keys()], 32, async (n) => {
  const ns = `bench-${n}`;
  const r = await call("POST", "/api/v1/namespaces", { metadata: { name: ns } });
  if (r.status !== 201) throw new Error(`namespace ${ns}: ${r.status} ${r.text}`);
  for (let d = 0; d < DEPLOY; d++) {
    const name = `app-${d}`;
    const res = await call("POST", `/apis/apps/v1/namespaces/${ns}/deployments`, {
      metadata: { name },
      spec: { replicas: REPLICAS, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image: "nginx:1.25", resources: { requests: { cpu: "10m", memory: "16Mi" } } }] } } },
    });
    if (res.status !== 201) throw new Error(`deployment ${ns}/${name}: ${res.status} ${res.text}`);
  }
});
const created = performance.now() - t0;
console.log(`created ${NS} namespaces and ${NS * DEPLOY} deployments in ${(created / 1000).toFixed(1)} s`);

async function listAll(path: string): Promise<{ items: Record<string, unknown>[]; pageTimes: number[] }> {
  const items: Record<string, unknown>[] = [];
  const pageTimes: number[] = [];
  let cont = "";
  do {
    const s = performance.now();
    const r = await call("GET", `${path}?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ""}`);
    // Timed to the last byte received; client-side JSON parsing is not the server's cost.
    pageTimes.push(performance.now() - s);
    const page = JSON.parse(r.text) as { items: Record<string, unknown>[]; metadata: { continue?: string } };
    items.push(...page.items);
    cont = page.metadata.continue ?? "";
  } while (cont);
  return { items, pageTimes };
}

// Converged = every deployment reports all replicas available.
for (;;) {
  const { items } = await listAll("/apis/apps/v1/deployments");
  const done = items.filter((d) => (d.status as { availableReplicas?: number }).availableReplicas === REPLICAS).length;
  if (done === NS * DEPLOY) break;
  await new Promise((r) => setTimeout(r, 500));
}
const converged = performance.now() - t0;
console.log(`converged (all ${PODS} pods Ready, all deployments available) after ${(converged / 1000).toFixed(1)} s`);
(globalThis as { gc?: () => void }).gc?.();
const mem = process.memoryUsage();
console.log(`memory: rss ${mib(mem.rss)}, heap used ${mib(mem.heapUsed)} (server, controllers and bench client in one process)`);

// Listing all pods in pages of 500.
const pageTimes: number[] = [];
let podCount = 0;
for (let pass = 0; pass < 5; pass++) {
  const { items, pageTimes: t } = await listAll("/api/v1/pods");
  podCount = items.length;
  pageTimes.push(...t);
}
console.log(`list ${podCount} pods in pages of 500: ${pageTimes.length} pages, p50 ${ms(pct(pageTimes, 50))}, p99 ${ms(pct(pageTimes, 99))}, max ${ms(Math.max(...pageTimes))}`);

// Fan-out: 50 cluster-wide pod watches; a pod turns Ready (status write); time until each sees it.
const rv = JSON.parse((await call("GET", "/api/v1/pods?limit=1")).text).metadata.resourceVersion as string;
const waiting = new Map<string, { start: number; seen: number[]; done: () => void }>();
const watchAgent = new Agent({ keepAlive: false, maxSockets: WATCHERS + 1, ca: cluster.caCertPem });
const watchReqs = Array.from({ length: WATCHERS }, () =>
  new Promise<ReturnType<typeof request>>((resolve) => {
    const req = request(new URL(`/api/v1/pods?watch=1&resourceVersion=${rv}`, cluster.url), { agent: watchAgent, headers: { Authorization: `Bearer ${cluster.token}` } }, (res) => {
      let buf = "";
      res.on("data", (c: Buffer) => {
        buf += c.toString();
        let nl;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          // Cheap marker extraction: watchers in the same process must not spend the time being measured.
          const marker = line.match(/"message":"(probe-\d+)"/)?.[1];
          const w = marker ? waiting.get(marker) : undefined;
          if (w) {
            w.seen.push(performance.now() - w.start);
            if (w.seen.length === WATCHERS) w.done();
          }
        }
      });
      resolve(req);
    });
    req.end();
  }),
);
const reqs = await Promise.all(watchReqs);
const delays: number[] = [];
const probePod = JSON.parse((await call("GET", "/api/v1/namespaces/bench-0/pods?limit=1")).text).items[0] as { metadata: { name: string } };
for (let i = 0; i < 100; i++) {
  const marker = `probe-${i}`;
  const ready = i % 2 === 0 ? "False" : "True";
  const seen: number[] = [];
  const done = new Promise<void>((resolve) => waiting.set(marker, { start: performance.now(), seen, done: resolve }));
  // The pod's Ready condition flips through the status subresource, like a kubelet's update.
  await call("PATCH", `/api/v1/namespaces/bench-0/pods/${probePod.metadata.name}/status`, { status: { conditions: [{ type: "Ready", status: ready, message: marker }] } }, "application/strategic-merge-patch+json");
  await done;
  delays.push(...seen);
}
console.log(`fan-out of a pod status change to ${WATCHERS} watchers (100 changes): p50 ${ms(pct(delays, 50))}, p99 ${ms(pct(delays, 99))}, max ${ms(Math.max(...delays))}`);
for (const r of reqs) r.destroy();
const targets = [`page p99 < 50 ms: ${pct(pageTimes, 99) < 50 ? "met" : "NOT met"}`, `fan-out p99 < 100 ms: ${pct(delays, 99) < 100 ? "met" : "NOT met"}`, `rss < 1 GiB: ${mem.rss < 1024 ** 3 ? "met" : "NOT met"}`];
console.log(`targets: ${targets.join("; ")}`);
agent.destroy();
watchAgent.destroy();
await cluster.stop();
process.exit(0);
