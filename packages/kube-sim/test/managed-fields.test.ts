// managedFields of spec.replicas over HTTP, as a real API server records them: server-side
// apply (operation Apply), the scale subresource (operation Update, subresource "scale"),
// a non-forced conflicting re-apply (409 Conflict naming field and manager), a forced one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, startCluster } from "../src/index.js";
import { deploymentYaml, http } from "./helpers.js";

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ name: "managed-fields" });
});
afterAll(async () => {
  await cluster?.stop();
});

const PATH = "/apis/apps/v1/namespaces/default/deployments/web";
const apply = (replicas: number, force = false) =>
  http(cluster, "PATCH", `${PATH}?fieldManager=deployer${force ? "&force=true" : ""}`, deploymentYaml("default", "web", "nginx:1.25", replicas), { "Content-Type": "application/apply-patch+yaml" });

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  subresource?: string;
  fieldsV1: { "f:spec"?: Record<string, unknown> };
}
const replicasOwners = async () => {
  const d = (await http(cluster, "GET", PATH)).json() as { metadata: { managedFields: Entry[] } };
  return d.metadata.managedFields.filter((e) => e.fieldsV1["f:spec"]?.["f:replicas"]).map(({ manager, operation, apiVersion, subresource }) => ({ manager, operation, apiVersion, subresource }));
};

describe("managedFields for spec.replicas", () => {
  it("follows apply, scale, a refused re-apply and a forced one", async () => {
    expect((await apply(2)).status).toBe(201);
    expect(await replicasOwners()).toEqual([{ manager: "deployer", operation: "Apply", apiVersion: "apps/v1", subresource: undefined }]);

    const scaled = await http(cluster, "PATCH", `${PATH}/scale`, JSON.stringify({ spec: { replicas: 5 } }), { "Content-Type": "application/merge-patch+json", "User-Agent": "kubectl/v1.33.1 (linux/amd64) kubernetes/abc" });
    expect(scaled.status).toBe(200);
    expect(scaled.json()).toMatchObject({ kind: "Scale", spec: { replicas: 5 } });
    expect(await replicasOwners()).toEqual([{ manager: "kubectl", operation: "Update", apiVersion: "apps/v1", subresource: "scale" }]);

    const refused = await apply(3);
    expect(refused.status).toBe(409);
    expect(refused.json()).toMatchObject({
      kind: "Status",
      status: "Failure",
      reason: "Conflict",
      code: 409,
      message: 'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas',
      details: { causes: [{ reason: "FieldManagerConflict", message: 'conflict with "kubectl" with subresource "scale" using apps/v1', field: ".spec.replicas" }] },
    });

    // Applying the value the other manager set is no conflict: both own it then.
    expect((await apply(5)).status).toBe(200);
    expect((await replicasOwners()).map((o) => o.manager).sort()).toEqual(["deployer", "kubectl"]);

    const forced = await apply(3, true);
    expect(forced.status).toBe(200);
    expect((forced.json() as { spec: { replicas: number } }).spec.replicas).toBe(3);
    expect(await replicasOwners()).toEqual([{ manager: "deployer", operation: "Apply", apiVersion: "apps/v1", subresource: undefined }]);
  });
});
