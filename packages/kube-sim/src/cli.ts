#!/usr/bin/env tsx
// wharf-kube-sim: starts one or more simulated clusters and writes their kubeconfig.
//   pnpm kube-sim --kubeconfig <file> [--clusters <n>] [--port <p>] [--pod-start-ms <ms>] [--nodes <n>]
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { type Cluster, startCluster } from "./cluster.js";
import { invocationDir } from "./env.js";
import { kubeconfigFor } from "./kubeconfig.js";

const USAGE = "usage: wharf-kube-sim --kubeconfig <file> [--clusters <n>] [--port <p>] [--pod-start-ms <ms>] [--nodes <n>] [--token <t>]";

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        kubeconfig: { type: "string" },
        clusters: { type: "string", default: "1" },
        port: { type: "string", default: "0" },
        "pod-start-ms": { type: "string", default: "2000" },
        nodes: { type: "string", default: "3" },
        token: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help || !values.kubeconfig) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const count = Number(values.clusters);
  const port = Number(values.port);
  const podStartMs = Number(values["pod-start-ms"]);
  const nodes = Number(values.nodes);
  if (![count, port, podStartMs, nodes].every((n) => Number.isInteger(n) && n >= 0) || count < 1) {
    console.error(`invalid numeric option\n${USAGE}`);
    process.exit(2);
  }
  const clusters: Cluster[] = [];
  for (let i = 1; i <= count; i++) {
    clusters.push(await startCluster({ name: `sim-${i}`, port: port === 0 ? 0 : port + i - 1, podStartMs, nodes, token: values.token }));
  }
  const file = resolve(invocationDir(), values.kubeconfig);
  writeFileSync(
    file,
    kubeconfigFor(clusters.map((c) => ({ name: c.name, url: c.url, caCertPem: c.caCertPem, token: c.token }))),
    { mode: 0o600 },
  );
  for (const c of clusters) console.log(`ready ${c.name} ${c.url}`);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all(clusters.map((c) => c.stop()));
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown());
  process.on("SIGINT", () => void shutdown());
}

void main();
