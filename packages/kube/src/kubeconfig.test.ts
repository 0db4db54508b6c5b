import { createServer } from "node:net";
import { kubeconfigFor } from "@wharf/kube-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DefaultClusterGateway } from "./default-cluster-gateway";
import { ClusterError } from "./errors";
import { KubeconfigError, parseKubeconfig } from "./kubeconfig";
import { type SimulatedCluster, startSimulatedCluster } from "../test/simulated-cluster";

let a: SimulatedCluster;
let b: SimulatedCluster;

beforeAll(async () => {
  [a, b] = await Promise.all([startSimulatedCluster({ name: "kc-a" }), startSimulatedCluster({ name: "kc-b" })]);
});
afterAll(async () => {
  await Promise.all([a?.sim.stop(), b?.sim.stop()]);
});

const failure = (fn: () => unknown): KubeconfigError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof KubeconfigError) return e;
    throw e;
  }
  throw new Error("expected a KubeconfigError");
};

async function checkFailure(gateway: DefaultClusterGateway): Promise<ClusterError> {
  try {
    await gateway.check();
  } catch (e) {
    if (e instanceof ClusterError) return e;
    throw e;
  }
  throw new Error("expected check() to fail");
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("parseKubeconfig", () => {
  it("accepts a good kubeconfig and selects its context", () => {
    const parsed = parseKubeconfig(a.sim.kubeconfig);
    expect(parsed).toMatchObject({ contexts: ["kc-a"], context: "kc-a", server: a.sim.url });
    expect(parsed.kubeConfig.getCurrentContext()).toBe("kc-a");
    const both = kubeconfigFor([
      { name: "one", url: a.sim.url, caCertPem: a.sim.caCertPem, token: a.sim.token },
      { name: "two", url: b.sim.url, caCertPem: b.sim.caCertPem, token: b.sim.token },
    ]);
    expect(parseKubeconfig(both, "two")).toMatchObject({ contexts: ["one", "two"], context: "two", server: b.sim.url });
  });

  it("explains garbage, missing parts and a missing context without echoing credentials", () => {
    expect(failure(() => parseKubeconfig("")).message).toBe("The kubeconfig is empty");
    expect(failure(() => parseKubeconfig(`clusters: [unclosed\ntoken: ${a.sim.token}`)).message).toMatch(/not valid YAML or JSON \(line \d+, column \d+\)/);
    expect(failure(() => parseKubeconfig("just some words")).message).toMatch(/not YAML or JSON describing a kubeconfig/);
    expect(failure(() => parseKubeconfig("apiVersion: v1\nkind: Pod\n")).message).toMatch(/is a "Pod", not a kubeconfig/);
    expect(failure(() => parseKubeconfig("apiVersion: v1\nkind: Config\nclusters: []\n")).message).toMatch(/has no clusters/);

    const err = failure(() => parseKubeconfig(a.sim.kubeconfig, "prod"));
    expect(err.message).toBe("This kubeconfig has no context named 'prod'; it has: kc-a");
    const noCurrent = a.sim.kubeconfig.replace(/current-context: .*\n/, "");
    expect(failure(() => parseKubeconfig(noCurrent)).message).toMatch(/no current-context; choose one of its contexts: kc-a/);

    const badCa = a.sim.kubeconfig.replace(/certificate-authority-data: .*/, "certificate-authority-data: bm90IGEgY2VydA==");
    expect(failure(() => parseKubeconfig(badCa)).message).toMatch(/certificate-authority-data of cluster "kc-a" does not decode to a PEM certificate/);
    const ftp = a.sim.kubeconfig.replace(a.sim.url, "ftp://example.com");
    expect(failure(() => parseKubeconfig(ftp)).message).toMatch(/must be an https:\/\/ \(or http:\/\/\) URL/);
    const exec = a.sim.kubeconfig.replace(/token: .*/, "exec: { command: rm, args: [-rf, /] }");
    expect(failure(() => parseKubeconfig(exec)).message).toMatch(/exec plugin, which Wharf does not run/);
    const file = a.sim.kubeconfig.replace(/certificate-authority-data: .*/, "certificate-authority: /etc/ca.pem");
    expect(failure(() => parseKubeconfig(file)).message).toMatch(/refers to a local file \(certificate-authority\)/);
    const noUser = a.sim.kubeconfig.replace(/user: kc-a-admin/, "user: nobody");
    expect(failure(() => parseKubeconfig(noUser)).message).toMatch(/uses user 'nobody', which this kubeconfig does not define; it has: kc-a-admin/);

    for (const text of ["", "just some words", `clusters: [unclosed\ntoken: ${a.sim.token}`, badCa, exec, noUser]) {
      const message = failure(() => parseKubeconfig(text.replace("token: ", `token: ${a.sim.token}`), "kc-a")).message;
      expect(message).not.toContain(a.sim.token);
    }
  });
});

describe("check() at registration", () => {
  it("reports version, nodes and capacity", async () => {
    const result = await a.gateway.check();
    expect(result.version.gitVersion).toMatch(/^v1\.\d+/);
    expect(result.version.major).toBe("1");
    expect(result.nodes).toHaveLength(3);
    expect(result.nodes[0]).toMatchObject({ ready: true, capacity: { cpu: "8", memory: "32Gi", pods: "110" } });
    expect(result.totals).toEqual({
      nodes: 3,
      readyNodes: 3,
      capacity: { cpuMillicores: 24_000, memoryBytes: 3 * 32 * 2 ** 30, pods: 330 },
      allocatable: { cpuMillicores: 24_000, memoryBytes: 3 * 32 * 2 ** 30, pods: 330 },
    });
  });

  it("says the certificate is not signed by the kubeconfig's CA", async () => {
    const wrongCa = kubeconfigFor([{ name: "kc-a", url: a.sim.url, caCertPem: b.sim.caCertPem, token: a.sim.token }]);
    const err = await checkFailure(DefaultClusterGateway.fromKubeconfig(wrongCa, { cluster: "kc-a" }));
    expect(err.category).toBe("tls");
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("The cluster's certificate is not signed by the CA in this kubeconfig");
  });

  it("says an unreachable server is unreachable", async () => {
    const port = await closedPort();
    const closed = kubeconfigFor([{ name: "gone", url: `https://127.0.0.1:${port}`, caCertPem: a.sim.caCertPem, token: a.sim.token }]);
    const err = await checkFailure(DefaultClusterGateway.fromKubeconfig(closed, { cluster: "gone" }));
    expect(err).toMatchObject({ category: "unreachable", code: "ECONNREFUSED", retryable: true });
    expect(err.message).toBe(`Cluster "gone" is unreachable at https://127.0.0.1:${port}: connection refused (ECONNREFUSED)`);
  });

  it("says the credentials were rejected (401)", async () => {
    const wrongToken = kubeconfigFor([{ name: "kc-a", url: a.sim.url, caCertPem: a.sim.caCertPem, token: "not-the-token" }]);
    const err = await checkFailure(DefaultClusterGateway.fromKubeconfig(wrongToken, { cluster: "kc-a" }));
    expect(err).toMatchObject({ category: "unauthorized", status: 401, retryable: false });
    expect(err.message).toMatch(/rejected the credentials \(401 Unauthorized\): check the token or client certificate/);
    expect(err.message).not.toContain("not-the-token");
  });
});
