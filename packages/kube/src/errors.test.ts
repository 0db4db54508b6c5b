import { describe, expect, it } from "vitest";
import { ClusterError, clusterErrorFromResponse, toClusterError } from "./errors";
import { cpuMillicores, parseQuantity } from "./quantity";
import { resourceFor, resourcePath } from "./resources";

describe("toClusterError", () => {
  it("classifies client-node ApiExceptions by status with the server's reason and message", () => {
    const apiException = Object.assign(new Error("HTTP-Code: 409"), {
      code: 409,
      body: JSON.stringify({ kind: "Status", reason: "AlreadyExists", message: 'configmaps "a" already exists', code: 409 }),
      headers: {},
    });
    expect(toClusterError(apiException, "c1")).toMatchObject({ status: 409, category: "conflict", reason: "AlreadyExists", apiMessage: 'configmaps "a" already exists', retryable: false });
    const throttled = clusterErrorFromResponse("c1", 429, "", { "retry-after": "3" });
    expect(throttled).toMatchObject({ retryable: true, retryAfterSeconds: 3 });
    expect(throttled.message).toMatch(/retry after 3s/);
    expect(clusterErrorFromResponse("c1", 503, "{}").retryable).toBe(true);
    expect(clusterErrorFromResponse("c1", 404, "{}").retryable).toBe(false);
  });

  it("classifies watch errors, network and TLS codes", () => {
    expect(toClusterError(Object.assign(new Error("Gone"), { statusCode: 410 }), "c1")).toMatchObject({ category: "gone", reason: "Expired" });
    for (const code of ["ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "EAI_AGAIN"]) {
      expect(toClusterError(Object.assign(new Error("x"), { code }), "c1").retryable).toBe(true);
    }
    const fetchError = Object.assign(new Error("request failed"), { type: "system", errno: "ECONNREFUSED", code: "ECONNREFUSED" });
    expect(toClusterError(fetchError, "c1", "https://k:6443").message).toBe('Cluster "c1" is unreachable at https://k:6443: connection refused (ECONNREFUSED)');
    const tls = toClusterError(Object.assign(new Error("self-signed certificate in certificate chain"), { code: "SELF_SIGNED_CERT_IN_CHAIN" }), "c1");
    expect(tls).toMatchObject({ category: "tls", retryable: false });
    expect(tls.message).toContain("The cluster's certificate is not signed by the CA in this kubeconfig");
    expect(toClusterError(Object.assign(new Error("x"), { code: "ERR_TLS_CERT_ALTNAME_INVALID" }), "c1").message).toMatch(/not valid for this server address/);
    const same = new ClusterError({ cluster: "c1", category: "server", message: "m", retryable: true });
    expect(toClusterError(same, "c2")).toBe(same);
  });
});

describe("resources and quantities", () => {
  it("builds paths from the resource table", () => {
    expect(resourcePath(resourceFor("Deployment"), "a", "web")).toBe("/apis/apps/v1/namespaces/a/deployments/web");
    expect(resourcePath(resourceFor("Pod"), undefined)).toBe("/api/v1/pods");
    expect(resourcePath(resourceFor("Namespace"), undefined, "a")).toBe("/api/v1/namespaces/a");
    expect(resourcePath(resourceFor("RoleBinding"), "a")).toBe("/apis/rbac.authorization.k8s.io/v1/namespaces/a/rolebindings");
    expect(() => resourcePath(resourceFor("Pod"), undefined, "p")).toThrow(/needs a namespace/);
    expect(() => resourceFor("CronJob")).toThrow(/does not manage Kubernetes kind "CronJob"/);
    expect(() => resourceFor("Deployment", "extensions/v1beta1")).toThrow(/as apps\/v1/);
  });

  it("parses quantities", () => {
    expect(cpuMillicores("8")).toBe(8000);
    expect(cpuMillicores("250m")).toBe(250);
    expect(parseQuantity("32Gi")).toBe(32 * 2 ** 30);
    expect(parseQuantity("1.5G")).toBe(1.5e9);
    expect(parseQuantity("2e3")).toBe(2000);
    expect(parseQuantity("lots")).toBeNaN();
  });
});
