// Conformance: every installed kubectl binary (1.27 ... 1.33) against the simulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, startCluster } from "../src/index.js";
import { deploymentYaml, http, Kubectl, kubectlVersions, waitFor } from "./helpers.js";

const PROTOBUF = "application/vnd.kubernetes.protobuf";

const versions = kubectlVersions();

describe.skipIf(versions.length === 0).each(versions)("kubectl %s", (version) => {
  let cluster: Cluster;
  let k: Kubectl;
  const ns = `conf-${version.replace(".", "-")}`;

  beforeAll(async () => {
    cluster = await startCluster({ name: "sim-1", podStartMs: 0, logIntervalMs: 100 });
    k = new Kubectl(version, cluster);
  });
  afterAll(async () => {
    k?.stopAll();
    await cluster?.stop();
  });

  it("reports version and api-resources", async () => {
    const v = await k.ok(["version", "-o", "json"]);
    expect(JSON.parse(v).serverVersion.gitVersion).toMatch(/^v1\.33/);
    const res = await k.ok(["api-resources"]);
    for (const line of [/deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/, /pods\s+po\s+v1\s+true\s+Pod/, /leases\s+coordination.k8s.io\/v1/, /horizontalpodautoscalers\s+hpa\s+autoscaling\/v2/]) expect(res).toMatch(line);
  });

  it("creates a namespace once, then AlreadyExists", async () => {
    const manifest = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`;
    expect(await k.ok(["create", "-f", "-"], manifest)).toContain(`namespace/${ns} created`);
    const again = await k.run(["create", "-f", "-"], manifest);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("AlreadyExists");
  });

  it("creates a namespace, a quota and a deployment with the typed generators", async () => {
    // kubectl >= 1.33 sends these bodies as protobuf (application/vnd.kubernetes.protobuf) and
    // asks for protobuf answers; what it prints with -o json is what it decoded.
    const gen = `${ns}-gen`;
    const printed = JSON.parse(await k.ok(["create", "namespace", gen, "-o", "json"]));
    const stored = (await http(cluster, "GET", `/api/v1/namespaces/${gen}`)).json() as { metadata: Record<string, unknown> };
    expect(printed).toMatchObject({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: gen, uid: stored.metadata.uid, resourceVersion: stored.metadata.resourceVersion, creationTimestamp: stored.metadata.creationTimestamp, labels: { "kubernetes.io/metadata.name": gen } },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    });
    const create = cluster.requests().findLast((r) => r.method === "POST" && r.path.startsWith("/api/v1/namespaces?"));
    const askedForProtobuf = create?.accept.startsWith(PROTOBUF) ?? false;
    if (Number(version.split(".")[1]) >= 33) expect(askedForProtobuf).toBe(true);
    expect(create).toMatchObject({ status: 201, responseContentType: askedForProtobuf ? PROTOBUF : "application/json" });
    expect(await k.ok(["-n", gen, "create", "quota", "q", "--hard=pods=50,requests.cpu=20"])).toContain("resourcequota/q created");
    const quota = JSON.parse(await k.ok(["-n", gen, "get", "quota", "q", "-o", "json"]));
    expect(quota.spec.hard).toEqual({ pods: "50", "requests.cpu": "20" });
    expect(await k.ok(["-n", gen, "create", "deployment", "gen", "--image=nginx:1.25", "--port=8080", "--replicas=2", "--", "nginx", "-g", "daemon off;"])).toContain("deployment.apps/gen created");
    const d = JSON.parse(await k.ok(["-n", gen, "get", "deploy", "gen", "-o", "json"]));
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.selector).toEqual({ matchLabels: { app: "gen" } });
    expect(d.spec.template.spec.containers).toMatchObject([{ name: "nginx", image: "nginx:1.25", ports: [{ containerPort: 8080, protocol: "TCP" }], command: ["nginx", "-g", "daemon off;"] }]);
    await k.ok(["-n", gen, "rollout", "status", "deploy/gen", "--timeout=30s"]);
    const again = await k.run(["create", "namespace", gen]);
    expect(again.stderr).toContain(`Error from server (AlreadyExists): namespaces "${gen}" already exists`);
    expect(await k.ok(["delete", "ns", gen, "--timeout=30s"])).toContain(`namespace "${gen}" deleted`);
  });

  it("applies the same manifest three times: created, unchanged, configured", async () => {
    const file = deploymentYaml(ns, "web", "nginx:1.25", 3);
    expect(await k.ok(["apply", "-f", "-"], file)).toContain("deployment.apps/web created");
    expect(await k.ok(["apply", "-f", "-"], file)).toContain("deployment.apps/web unchanged");
    expect(await k.ok(["apply", "-f", "-"], file.replace("replicas: 3", "replicas: 4"))).toContain("deployment.apps/web configured");
  });

  it("waits for rollout status", async () => {
    const out = await k.ok(["-n", ns, "rollout", "status", "deploy/web", "--timeout=30s"]);
    expect(out).toContain('deployment "web" successfully rolled out');
  });

  it("shows the real columns with get -o wide", async () => {
    const pods = await k.ok(["-n", ns, "get", "pods", "-o", "wide"]);
    expect(pods.split("\n")[0]).toMatch(/NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES/);
    expect(pods.match(/web-\S+\s+1\/1\s+Running\s+0/g)?.length).toBe(4);
    const deploy = await k.ok(["-n", ns, "get", "deploy", "-o", "wide"]);
    expect(deploy).toMatch(/NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR/);
    expect(deploy).toMatch(/web\s+4\/4\s+4\s+4\s+\S+\s+web\s+nginx:1.25\s+app=web/);
    const svcs = await k.ok(["get", "svc", "-n", "default"]);
    expect(svcs).toMatch(/kubernetes\s+ClusterIP\s+10.96.0.1\s+<none>\s+443\/TCP/);
    expect(await k.ok(["get", "ns"])).toMatch(new RegExp(`${ns}\\s+Active`));
    expect(await k.ok(["get", "all", "-n", ns])).toContain("replicaset.apps/web-");
  });

  it("sets an image, records rollout history and undoes it", async () => {
    await k.ok(["-n", ns, "set", "image", "deploy/web", "web=nginx:1.26"]);
    await k.ok(["-n", ns, "rollout", "status", "deploy/web", "--timeout=30s"]);
    const history = await k.ok(["-n", ns, "rollout", "history", "deploy/web"]);
    expect(history).toMatch(/1\s+<none>/);
    expect(history).toMatch(/2\s+<none>/);
    expect(await k.ok(["-n", ns, "get", "rs"])).toMatch(/web-\S+\s+0\s+0\s+0/);
    expect(await k.ok(["-n", ns, "rollout", "undo", "deploy/web"])).toContain("rolled back");
    await k.ok(["-n", ns, "rollout", "status", "deploy/web", "--timeout=30s"]);
    const after = await k.ok(["-n", ns, "rollout", "history", "deploy/web"]);
    expect(after).toMatch(/3\s+<none>/);
    expect(after).not.toMatch(/^1\s/m); // revision 1's ReplicaSet was reused as revision 3
    expect(await k.ok(["-n", ns, "get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])).toBe("nginx:1.25");
    expect((await k.ok(["-n", ns, "get", "rs", "-o", "name"])).trim().split("\n")).toHaveLength(2);
  });

  it("scales and streams changes with get -w", async () => {
    const w = k.stream(["-n", ns, "get", "deploy", "web", "-w"]);
    await waitFor(() => /web\s+4\/4/.test(w.output()), "initial row");
    await k.ok(["-n", ns, "scale", "deploy/web", "--replicas=6"]);
    await waitFor(() => /web\s+6\/6\s+6\s+6/.test(w.output()), "scaled row in get -w", 20_000);
    w.stop();
  });

  it("describes with events", async () => {
    const d = await k.ok(["-n", ns, "describe", "deploy", "web"]);
    expect(d).toMatch(/Replicas:\s+6 desired \| 6 updated \| 6 total \| 6 available \| 0 unavailable/);
    expect(d).toContain("ScalingReplicaSet");
    const pod = (await k.ok(["-n", ns, "get", "pods", "-o", "name"])).trim().split("\n")[0] ?? "";
    const p = await k.ok(["-n", ns, "describe", pod]);
    expect(p).toMatch(/Status:\s+Running/);
    expect(p).toContain("Scheduled");
    expect(p).toContain("Started");
  });

  it("prints logs and follows them", async () => {
    const pod = (await k.ok(["-n", ns, "get", "pods", "-o", "name"])).trim().split("\n")[0] ?? "";
    const logs = await k.ok(["-n", ns, "logs", pod]);
    expect(logs).toContain("Starting nginx:1.25");
    const tail = await k.ok(["-n", ns, "logs", pod, "--tail=1"]);
    expect(tail.trim().split("\n")).toHaveLength(1);
    const f = k.stream(["-n", ns, "logs", "-f", pod, "--tail=1"]);
    // New request lines keep arriving while following.
    await waitFor(() => (f.output().match(/request=\d+/g) ?? []).length >= 3, "followed log lines", 15_000);
    f.stop();
  });

  it("server-side applies with field managers and conflicts", async () => {
    const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: ${ns}\ndata:\n  key: "${v}"\n`;
    expect(await k.ok(["apply", "--server-side", "--field-manager=alice", "-f", "-"], cm("a"))).toContain("serverside-applied");
    const conflict = await k.run(["apply", "--server-side", "--field-manager=bob", "-f", "-"], cm("b"));
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toMatch(/conflict/i);
    expect(conflict.stderr).toContain("alice");
    await k.ok(["apply", "--server-side", "--field-manager=bob", "--force-conflicts", "-f", "-"], cm("b"));
    const obj = JSON.parse(await k.ok(["-n", ns, "get", "cm", "ssa", "-o", "json", "--show-managed-fields"]));
    expect(obj.data.key).toBe("b");
    expect(obj.metadata.managedFields.map((m: { manager: string }) => m.manager)).toContain("bob");
  });

  it("moves spec.replicas between managers: apply, scale, conflicting re-apply, forced re-apply", async () => {
    const file = (replicas: number) => deploymentYaml(ns, "own", "nginx:1.25", replicas);
    type Entry = { manager: string; operation: string; subresource?: string; fieldsV1: { "f:spec"?: Record<string, unknown> } };
    const entries = async () => JSON.parse(await k.ok(["-n", ns, "get", "deploy", "own", "-o", "json", "--show-managed-fields"])).metadata.managedFields as Entry[];
    const ownersOfReplicas = async () => (await entries()).filter((e) => e.fieldsV1["f:spec"]?.["f:replicas"]).map((e) => `${e.manager}/${e.operation}/${e.subresource ?? ""}`);

    await k.ok(["apply", "--server-side", "--field-manager=deployer", "-f", "-"], file(2));
    expect(await ownersOfReplicas()).toEqual(["deployer/Apply/"]);

    // kubectl scale patches /scale; without --field-manager the manager is the user agent's name.
    await k.ok(["-n", ns, "scale", "deploy/own", "--replicas=3"]);
    expect(await ownersOfReplicas()).toEqual([`kubectl.${version}/Update/scale`]);
    expect((await entries()).find((e) => e.manager === "deployer")?.fieldsV1["f:spec"]).toHaveProperty("f:template");

    const conflict = await k.run(["apply", "--server-side", "--field-manager=deployer", "-f", "-"], file(4));
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain(`Apply failed with 1 conflict: conflict with "kubectl.${version}" with subresource "scale" using apps/v1: .spec.replicas`);
    expect(await k.ok(["-n", ns, "get", "deploy", "own", "-o", "jsonpath={.spec.replicas}"])).toBe("3");

    await k.ok(["apply", "--server-side", "--field-manager=deployer", "--force-conflicts", "-f", "-"], file(4));
    expect(await ownersOfReplicas()).toEqual(["deployer/Apply/"]);
    expect(await k.ok(["-n", ns, "get", "deploy", "own", "-o", "jsonpath={.spec.replicas}"])).toBe("4");
    await k.ok(["-n", ns, "delete", "deploy", "own"]);
  });

  it("applies a Gateway and a weighted HTTPRoute (Gateway API, JSON only), and changes the weights", async () => {
    const res = await k.ok(["api-resources", "--api-group=gateway.networking.k8s.io"]);
    expect(res).toMatch(/httproutes\s+gateway.networking.k8s.io\/v1\s+true\s+HTTPRoute/);
    expect(res).toMatch(/gateways\s+gtw\s+gateway.networking.k8s.io\/v1\s+true\s+Gateway/);
    const manifest = (canaryWeight: number) => `apiVersion: v1
kind: Service
metadata: { name: shop-stable, namespace: ${ns} }
spec: { selector: { app: shop }, ports: [{ port: 80 }] }
---
apiVersion: v1
kind: Service
metadata: { name: shop-canary, namespace: ${ns} }
spec: { selector: { app: shop-canary }, ports: [{ port: 80 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: edge, namespace: ${ns} }
spec: { gatewayClassName: kube-sim, listeners: [{ name: http, protocol: HTTP, port: 80 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: shop, namespace: ${ns} }
spec:
  parentRefs: [{ name: edge }]
  rules:
    - backendRefs:
        - { name: shop-stable, port: 80, weight: ${100 - canaryWeight} }
        - { name: shop-canary, port: 80, weight: ${canaryWeight} }
`;
    expect(await k.ok(["apply", "-f", "-"], manifest(10))).toContain("httproute.gateway.networking.k8s.io/shop created");
    const accepted = async () => JSON.parse(await k.ok(["-n", ns, "get", "httproute", "shop", "-o", "json"])) as { spec: { rules: Array<{ backendRefs: Array<{ weight: number }> }> }; status?: { parents?: Array<{ conditions: Array<{ type: string; status: string }> }> } };
    await waitFor(async () => (await accepted()).status?.parents?.[0]?.conditions.every((c) => c.status === "True"), "the route to be accepted with its backends resolved");
    expect(await k.ok(["apply", "-f", "-"], manifest(25))).toContain("httproute.gateway.networking.k8s.io/shop configured");
    expect((await accepted()).spec.rules[0]?.backendRefs.map((b) => b.weight)).toEqual([75, 25]);
    // A CRD-served kind travels as JSON even from a kubectl that prefers protobuf.
    const write = cluster.requests().findLast((r) => r.method === "PATCH" && r.path.includes("/httproutes/shop"));
    expect(write?.responseContentType).toBe("application/json");
    expect(await k.ok(["-n", ns, "get", "gtw", "edge", "-o", "jsonpath={.status.listeners[0].attachedRoutes}"])).toBe("1");
    await k.ok(["delete", "-f", "-"], manifest(25));
  });

  it("deletes a deployment with its replicasets and pods", async () => {
    await k.ok(["-n", ns, "delete", "deploy", "web"]);
    await waitFor(async () => (await k.ok(["-n", ns, "get", "pods,rs", "-o", "name"])).trim() === "", "pods and replicasets to go");
  });

  it("deletes a namespace to completion", async () => {
    await k.ok(["apply", "-f", "-"], deploymentYaml(ns, "api", "nginx:1.25", 2));
    await k.ok(["-n", ns, "rollout", "status", "deploy/api", "--timeout=30s"]);
    const out = await k.ok(["delete", "ns", ns, "--timeout=30s"]);
    expect(out).toContain(`namespace "${ns}" deleted`);
    const gone = await k.run(["get", "ns", ns]);
    expect(gone.stderr).toContain("NotFound");
  });
});
