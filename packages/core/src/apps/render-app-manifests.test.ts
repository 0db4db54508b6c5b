import { describe, expect, it } from "vitest";
import { envName, renderAppManifests, type AppSpec } from "./render-app-manifests";

const app: AppSpec = {
  id: "app_1",
  orgId: "org_1",
  spaceId: "spc_1",
  name: "shop",
  namespace: "acme-prod",
  replicas: 3,
  generation: 4,
  revision: 7,
  params: { logLevel: "debug", maxConnections: 50 },
  restartedAt: null,
  itemSlug: "storefront",
  version: { version: "1.4.2", image: "ghcr.io/wharf-demo/storefront:1.4.2", ports: [{ name: "http", port: 8080 }], probes: { readiness: { path: "/ready", port: 8080 } }, resources: { cpu: "250m", memory: "256Mi" } },
};

describe("app manifests", () => {
  const [deployment, service] = renderAppManifests(app);

  it("runs the version's image with parameters as environment variables", () => {
    expect(deployment).toMatchObject({
      kind: "Deployment",
      metadata: { name: "shop", namespace: "acme-prod", annotations: { "wharf.io/generation": "4" } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { "wharf.io/app": "app_1" } },
        template: {
          spec: {
            containers: [
              {
                image: "ghcr.io/wharf-demo/storefront:1.4.2",
                env: [
                  { name: "LOG_LEVEL", value: "debug" },
                  { name: "MAX_CONNECTIONS", value: "50" },
                  { name: "OTEL_RESOURCE_ATTRIBUTES", value: "service.version=7" },
                ],
                resources: { requests: { cpu: "250m", memory: "256Mi" } },
                readinessProbe: { httpGet: { path: "/ready", port: 8080 } },
              },
            ],
          },
        },
      },
    });
  });

  it("labels pods so the informers can tell whose they are", () => {
    const labels = (deployment!.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
    expect(labels).toMatchObject({ "wharf.io/app": "app_1", "wharf.io/org": "org_1", "app.kubernetes.io/managed-by": "wharf" });
  });

  it("labels pods with their revision and has them report it as service.version, after attributes the parameters set", () => {
    const labels = (deployment!.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
    expect(labels["wharf.io/revision"]).toBe("7");
    expect(deployment!.metadata.labels).not.toHaveProperty("wharf.io/revision");
    const [own] = renderAppManifests({ ...app, params: { otelResourceAttributes: "team=shop" } });
    expect(JSON.stringify(own)).toContain('{"name":"OTEL_RESOURCE_ATTRIBUTES","value":"team=shop,service.version=7"}');
  });

  it("exposes the ports through a Service, and only when there are ports", () => {
    expect(service).toMatchObject({ kind: "Service", spec: { ports: [{ port: 8080, targetPort: 8080 }] } });
    expect(renderAppManifests({ ...app, version: { ...app.version, ports: [] } })).toHaveLength(1);
  });

  it("restarts by annotating the pod template", () => {
    const [restarted] = renderAppManifests({ ...app, restartedAt: new Date("2026-11-26T08:00:00Z") });
    expect(JSON.stringify(restarted)).toContain('"wharf.io/restarted-at":"2026-11-26T08:00:00.000Z"');
  });

  it("names environment variables the usual way", () => {
    expect(envName("maxConnections")).toBe("MAX_CONNECTIONS");
    expect(envName("feature-flags")).toBe("FEATURE_FLAGS");
    expect(envName("CURRENCY")).toBe("CURRENCY");
  });
});
