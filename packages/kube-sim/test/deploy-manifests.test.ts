// Wharf's own Kubernetes manifests (deploy/ at the repository root), built by kubectl's Kustomize
// and applied by every installed kubectl to the simulator: the objects land, the migration Job
// completes and the Deployments roll out. (The simulator runs no containers: that the image's
// commands start and answer their probes is the image test's job, not this one.)
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, startCluster } from "../src/index.js";
import { Kubectl, kubectlVersions } from "./helpers.js";

const deployDir = fileURLToPath(new URL("../../../deploy", import.meta.url));
const versions = kubectlVersions();

interface Rendered {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
}

interface RenderedContainer {
  image: string;
  args: string[];
  securityContext: Record<string, unknown>;
  readinessProbe: { httpGet: { path: string } };
  livenessProbe: { httpGet: { path: string } };
  resources: { requests: Record<string, string> };
}

interface RenderedDeploymentSpec {
  replicas: number;
  template: { spec: { securityContext: Record<string, unknown>; containers: RenderedContainer[]; initContainers: RenderedContainer[]; topologySpreadConstraints: unknown[] } };
}

describe.skipIf(versions.length === 0).each(versions)("deploy/ with kubectl %s", (version) => {
  let cluster: Cluster;
  let k: Kubectl;

  beforeAll(async () => {
    cluster = await startCluster({ name: "sim-deploy", podStartMs: 0, jobRunMs: 100 });
    k = new Kubectl(version, cluster);
  });
  afterAll(async () => {
    k?.stopAll();
    await cluster?.stop();
  });

  it("renders the production overlay hardened: non-root, read-only root, probes on real endpoints, spread, budgets", async () => {
    const docs = (await k.ok(["kustomize", `${deployDir}/overlays/production`]))
      .split(/^---$/m)
      .map((doc) => doc.trim())
      .filter(Boolean);
    const objects = await Promise.all(docs.map(async (doc) => JSON.parse(await k.ok(["create", "--dry-run=client", "-o", "json", "-f", "-"], doc)) as Rendered));
    const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
    expect(byKind("Secret")).toEqual([]); // production's Secret comes from outside
    const deployments = Object.fromEntries(byKind("Deployment").map((d) => [d.metadata.name, d.spec as unknown as RenderedDeploymentSpec]));
    expect(deployments["wharf-web"]?.replicas).toBe(3);
    expect(deployments["wharf-worker"]?.replicas).toBe(2);
    for (const [name, spec] of Object.entries(deployments)) {
      const pod = spec.template.spec;
      expect(pod.securityContext, name).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
      expect(pod.topologySpreadConstraints.length, name).toBeGreaterThan(0);
      expect(pod.initContainers.map((c) => c.args), name).toEqual([["wait-for-migrations"]]);
      const [main] = pod.containers;
      expect(main?.image, name).toBe("registry.example.com/platform/wharf:1.0.0");
      expect(main?.securityContext, name).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
      expect([main?.readinessProbe.httpGet.path, main?.livenessProbe.httpGet.path], name).toEqual(["/api/health/ready", "/api/health/live"]);
      expect(main?.resources.requests.cpu, name).toBeTruthy();
    }
    expect(byKind("PodDisruptionBudget").map((p) => p.metadata.name).sort()).toEqual(["wharf-web", "wharf-worker"]);
    expect(byKind("Job").map((j) => j.metadata.name)).toEqual(["wharf-migrate"]);
    expect(byKind("ClusterRoleBinding")[0]).toMatchObject({ subjects: [{ kind: "ServiceAccount", name: "wharf", namespace: "wharf" }] });
    expect(byKind("Ingress")[0]?.spec).toMatchObject({ tls: [{ hosts: ["wharf.example.com"], secretName: "wharf-tls" }] });
  });

  it("applies the dev overlay with apply -k: the migration Job completes, both Deployments roll out, a second apply changes nothing", async () => {
    const applied = await k.ok(["apply", "-k", `${deployDir}/overlays/dev`]);
    for (const line of ["namespace/wharf created", "serviceaccount/wharf created", "clusterrole.rbac.authorization.k8s.io/wharf-controller created", "job.batch/wharf-migrate created", "deployment.apps/wharf-web created", "deployment.apps/wharf-worker created", "poddisruptionbudget.policy/wharf-web created", "ingress.networking.k8s.io/wharf created", "networkpolicy.networking.k8s.io/wharf created"])
      expect(applied).toContain(line);
    await k.ok(["-n", "wharf", "wait", "--for=condition=complete", "job/wharf-migrate", "--timeout=30s"]);
    await k.ok(["-n", "wharf", "rollout", "status", "deploy/wharf-web", "--timeout=30s"]);
    await k.ok(["-n", "wharf", "rollout", "status", "deploy/wharf-worker", "--timeout=30s"]);
    const pdbVersions = async () => k.ok(["-n", "wharf", "get", "pdb", "-o", "jsonpath={.items[*].metadata.resourceVersion}"]);
    const before = await pdbVersions();
    const again = await k.ok(["apply", "-k", `${deployDir}/overlays/dev`]);
    // kubectl always patches a PDB's selector (its patch strategy is "replace") and so prints
    // "configured" for PDBs on every apply; the server sees a no-op and keeps the object as it was.
    expect(again.split("\n").filter((line) => /created|configured/.test(line) && !line.startsWith("poddisruptionbudget"))).toEqual([]);
    expect(await pdbVersions()).toBe(before);
    // The namespace goes first and takes its content with it, so the rest may be gone already.
    expect(await k.ok(["delete", "-k", `${deployDir}/overlays/dev`, "--ignore-not-found", "--timeout=60s"])).toContain(`namespace "wharf" deleted`);
    expect(await k.ok(["get", "clusterrole", "wharf-controller", "--ignore-not-found"])).toBe("");
  });
});
