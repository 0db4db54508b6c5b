// The demo catalog: published items from the partner Initech, approved by the
// operator, including a small shop suite whose services depend on each other.
// Idempotent: an item whose slug exists is left as it is. Everything goes
// through core, so the audit log tells the story.
import type { AddCatalogVersionInput, CreateCatalogItemInput } from "@wharf/contracts";
import { catalog, type Actor, type TenantScope } from "@wharf/core";
import { withPlatform } from "@wharf/db";

const request = { ip: "127.0.0.1", userAgent: "wharf-seed" };

const logLevel = { type: "string", title: "Log level", enum: ["debug", "info", "warn", "error"], default: "info" };
const currency = { type: "string", title: "Currency", description: "ISO 4217 code prices are shown and charged in.", enum: ["EUR", "USD", "GBP", "JPY"], default: "EUR" };
const http = (port: number) => ({ ports: [{ name: "http", port }], probes: { readiness: { path: "/healthz", port }, liveness: { path: "/livez", port } } });

type Version = Omit<AddCatalogVersionInput, "orgId" | "itemId">;
interface DemoItem {
  item: Omit<CreateCatalogItemInput, "orgId">;
  versions: Version[];
  restrictedTo?: string;
  deprecated?: boolean;
}

const ITEMS: DemoItem[] = [
  {
    item: {
      slug: "orders-db",
      name: "Orders DB",
      icon: "🐘",
      summary: "PostgreSQL tuned for order data, with daily snapshots and a metrics endpoint.",
      categories: ["database"],
      description: `## Orders DB

A single-node **PostgreSQL** for transactional order data.

- Connection pooling sized by \`maxConnections\`
- Health and Prometheus metrics on port \`8008\`
- Daily logical snapshots, kept for \`retentionDays\`

Connect with \`postgres://<app-name>:5432/<database>\` from apps in the same space.`,
    },
    versions: [
      {
        version: "15.8.0",
        image: "ghcr.io/wharf-demo/orders-db:15.8.0",
        paramsSchema: {
          type: "object",
          properties: {
            database: { type: "string", title: "Database name", pattern: "^[a-z_][a-z0-9_]*$", default: "orders" },
            maxConnections: { type: "integer", title: "Max connections", minimum: 10, maximum: 500, default: 100 },
            logLevel,
          },
          additionalProperties: false,
        },
        ports: [{ name: "postgres", port: 5432 }, { name: "health", port: 8008 }],
        probes: { readiness: { path: "/readiness", port: 8008 }, liveness: { path: "/liveness", port: 8008 } },
        resources: { cpu: "250m", memory: "512Mi" },
      },
      {
        version: "16.4.0",
        image: "ghcr.io/wharf-demo/orders-db:16.4.0",
        releaseNotes: "PostgreSQL 16. Adds snapshot retention.",
        paramsSchema: {
          type: "object",
          properties: {
            database: { type: "string", title: "Database name", pattern: "^[a-z_][a-z0-9_]*$", default: "orders" },
            maxConnections: { type: "integer", title: "Max connections", minimum: 10, maximum: 500, default: 100 },
            retentionDays: { type: "integer", title: "Snapshot retention (days)", minimum: 1, maximum: 35, default: 7 },
            logLevel,
          },
          additionalProperties: false,
        },
        ports: [{ name: "postgres", port: 5432 }, { name: "health", port: 8008 }],
        probes: { readiness: { path: "/readiness", port: 8008 }, liveness: { path: "/liveness", port: 8008 } },
        resources: { cpu: "250m", memory: "512Mi" },
      },
    ],
  },
  {
    item: {
      slug: "redis-cache",
      name: "Redis Cache",
      icon: "🧱",
      summary: "An in-memory cache and session store with an eviction policy of your choice.",
      categories: ["cache", "database"],
      description: `## Redis Cache

Redis for caches and sessions. Nothing is persisted unless you turn **persistence** on.

- \`maxMemory\`: memory Redis may use before it evicts keys
- \`evictionPolicy\`: what goes first when it is full`,
    },
    versions: ["7.2.5", "7.4.1"].map((version) => ({
      version,
      image: `ghcr.io/wharf-demo/redis-cache:${version}`,
      paramsSchema: {
        type: "object",
        properties: {
          maxMemory: { type: "string", title: "Max memory", description: "e.g. 256mb or 1gb", pattern: "^[0-9]+(mb|gb)$", default: "256mb" },
          evictionPolicy: { type: "string", title: "Eviction policy", enum: ["allkeys-lru", "volatile-lru", "allkeys-lfu", "noeviction"], default: "allkeys-lru" },
          persistence: { type: "boolean", title: "Persist to disk", default: false },
        },
        additionalProperties: false,
      },
      ports: [{ name: "redis", port: 6379 }, { name: "metrics", port: 9121 }],
      probes: { readiness: { path: "/healthz", port: 9121 } },
      resources: { cpu: "100m", memory: "256Mi" },
    })),
  },
  {
    item: {
      slug: "nginx-gateway",
      name: "NGINX Gateway",
      icon: "🌐",
      summary: "An HTTP gateway in front of your services: routing, gzip and request limits.",
      categories: ["networking", "gateway"],
      description: `## NGINX Gateway

Routes traffic to one upstream service in your space, with gzip and body-size limits.

\`\`\`
client -> nginx-gateway:8080 -> <upstreamHost>
\`\`\``,
    },
    versions: ["1.26.2", "1.27.3"].map((version) => ({
      version,
      image: `ghcr.io/wharf-demo/nginx-gateway:${version}`,
      paramsSchema: {
        type: "object",
        properties: {
          upstreamHost: { type: "string", title: "Upstream host", description: "Service name and port, e.g. storefront:3000", minLength: 1, default: "storefront:3000" },
          clientMaxBodySize: { type: "string", title: "Max request body", pattern: "^[0-9]+[km]$", default: "10m" },
          workerConnections: { type: "integer", title: "Worker connections", minimum: 64, maximum: 65536, default: 1024 },
          enableGzip: { type: "boolean", title: "Compress responses (gzip)", default: true },
        },
        required: ["upstreamHost"],
        additionalProperties: false,
      },
      ...http(8080),
      resources: { cpu: "100m", memory: "64Mi" },
    })),
  },
  {
    item: {
      slug: "payments",
      name: "Payments",
      icon: "💳",
      summary: "Charges, refunds and payment status against a sandbox payment provider.",
      categories: ["commerce", "payments"],
      description: `## Payments

Part of the **Wharf shop suite**. Exposes \`POST /charges\` and \`POST /refunds\`; talks to a *sandbox* provider only, so demo money is never real.`,
    },
    versions: ["2.3.0", "2.4.1"].map((version) => ({
      version,
      image: `ghcr.io/wharf-demo/payments:${version}`,
      paramsSchema: {
        type: "object",
        properties: {
          currency,
          provider: { type: "string", title: "Provider", enum: ["stripe-sandbox", "adyen-test"], default: "stripe-sandbox" },
          timeoutMs: { type: "integer", title: "Provider timeout (ms)", minimum: 100, maximum: 30000, default: 5000 },
          logLevel,
        },
        additionalProperties: false,
      },
      ...http(8080),
      resources: { cpu: "200m", memory: "256Mi" },
    })),
  },
  {
    item: {
      slug: "catalog-api",
      name: "Catalog API",
      icon: "📚",
      summary: "Products, prices and search for the shop suite, over a JSON API.",
      categories: ["commerce", "api"],
      description: `## Catalog API

Part of the **Wharf shop suite**: serves products and prices to the storefront.

- \`GET /products?query=…\`
- \`GET /products/{sku}\``,
    },
    versions: [
      {
        version: "3.1.0",
        image: "ghcr.io/wharf-demo/catalog-api:3.1.0",
        paramsSchema: {
          type: "object",
          properties: {
            pageSize: { type: "integer", title: "Page size", minimum: 1, maximum: 100, default: 24 },
            searchBackend: { type: "string", title: "Search backend", enum: ["postgres", "memory"], default: "memory" },
            cacheTtlSeconds: { type: "integer", title: "Cache TTL (seconds)", minimum: 0, maximum: 3600, default: 60 },
            logLevel,
          },
          additionalProperties: false,
        },
        ...http(8080),
        resources: { cpu: "150m", memory: "192Mi" },
      },
    ],
  },
  {
    item: {
      slug: "cart",
      name: "Cart",
      icon: "🛒",
      summary: "Shopping carts kept in Redis, checked out through Payments.",
      categories: ["commerce"],
      description: `## Cart

Part of the **Wharf shop suite**. Keeps carts in **redis-cache** and checks out through **payments**; deploy those first in the same space.`,
    },
    versions: ["1.8.0", "1.9.2"].map((version) => ({
      version,
      image: `ghcr.io/wharf-demo/cart:${version}`,
      paramsSchema: {
        type: "object",
        properties: {
          sessionTtlMinutes: { type: "integer", title: "Cart lifetime (minutes)", minimum: 5, maximum: 10080, default: 30 },
          maxItems: { type: "integer", title: "Max items per cart", minimum: 1, maximum: 500, default: 100 },
          currency,
          logLevel,
        },
        additionalProperties: false,
      },
      ...http(8080),
      resources: { cpu: "100m", memory: "128Mi" },
      dependsOn: ["redis-cache", "payments"],
    })),
  },
  {
    item: {
      slug: "storefront",
      name: "Storefront",
      icon: "🏬",
      summary: "The shop's web front end: browse products, fill a cart, check out.",
      categories: ["commerce", "web"],
      description: `## Storefront

The front end of the **Wharf shop suite**.

1. Deploy **catalog-api**, **redis-cache**, **payments** and **cart**.
2. Deploy the storefront and point a gateway at it.

Feature flags are a comma-separated list, e.g. \`new-checkout,recommendations\`.`,
    },
    versions: ["1.3.0", "1.4.2"].map((version) => ({
      version,
      image: `ghcr.io/wharf-demo/storefront:${version}`,
      paramsSchema: {
        type: "object",
        properties: {
          featureFlags: { type: "string", title: "Feature flags", description: "Comma-separated", pattern: "^[a-z0-9,-]*$", default: "new-checkout" },
          currency,
          theme: { type: "string", title: "Theme", enum: ["light", "dark"], default: "light" },
          logLevel,
        },
        additionalProperties: false,
      },
      ports: [{ name: "http", port: 3000 }],
      probes: { readiness: { path: "/api/health", port: 3000 } },
      resources: { cpu: "200m", memory: "256Mi" },
      dependsOn: ["cart", "catalog-api"],
    })),
  },
  {
    item: {
      slug: "acme-erp-connector",
      name: "Acme ERP Connector",
      icon: "🔌",
      summary: "Syncs orders into Acme's ERP. Built for Acme Retail only.",
      categories: ["integration"],
      visibility: "RESTRICTED",
      description: "## Acme ERP Connector\n\nA private integration shared with **Acme Retail** only.",
    },
    restrictedTo: "acme",
    versions: [
      {
        version: "0.4.0",
        image: "ghcr.io/wharf-demo/acme-erp-connector:0.4.0",
        paramsSchema: {
          type: "object",
          properties: {
            erpEndpoint: { type: "string", title: "ERP endpoint", format: "uri", default: "https://erp.acme.example/api" },
            syncIntervalSeconds: { type: "integer", title: "Sync interval (seconds)", minimum: 30, maximum: 3600, default: 300 },
          },
          additionalProperties: false,
        },
        ...http(8080),
        resources: { cpu: "50m", memory: "64Mi" },
      },
    ],
  },
  {
    item: {
      slug: "legacy-search",
      name: "Legacy Search",
      icon: "🔎",
      summary: "The old product search service. Deprecated: use Catalog API's search.",
      categories: ["search"],
      description: "## Legacy Search\n\n**Deprecated.** Running apps keep running; new deploys should use **catalog-api**.",
    },
    deprecated: true,
    versions: [
      {
        version: "0.9.4",
        image: "ghcr.io/wharf-demo/legacy-search:0.9.4",
        paramsSchema: { type: "object", properties: { indexName: { type: "string", title: "Index name", default: "products" } }, additionalProperties: false },
        ...http(9200),
        resources: { cpu: "500m", memory: "1Gi" },
      },
    ],
  },
];

async function actorFor(email: string, isOperator: boolean): Promise<Actor> {
  const user = await withPlatform("seed", (tx) => tx.user.findUniqueOrThrow({ where: { email } }));
  return { userId: user.id, email: user.email, isOperator, ...request };
}

export async function seedCatalog(): Promise<void> {
  const operator = await actorFor("ops@wharf.local", true);
  const paula = await actorFor("paula@initech.example", false);
  const { initech, acme, existing } = await withPlatform("seed", async (tx) => ({
    initech: await tx.organization.findUniqueOrThrow({ where: { slug: "initech" } }),
    acme: await tx.organization.findUniqueOrThrow({ where: { slug: "acme" } }),
    existing: new Set((await tx.catalogItem.findMany({ where: { slug: { in: ITEMS.map((i) => i.item.slug) } }, select: { slug: true } })).map((i) => i.slug)),
  }));
  const publisher: TenantScope = { orgId: initech.id, role: "OWNER", actor: paula };
  const orgIds: Record<string, string> = { acme: acme.id };

  for (const demo of ITEMS) {
    if (existing.has(demo.item.slug)) continue;
    const item = await catalog.createCatalogItem(publisher, {
      ...demo.item,
      orgId: initech.id,
      allowedOrgIds: demo.restrictedTo ? [orgIds[demo.restrictedTo]!] : [],
    });
    for (const version of demo.versions) {
      const draft = await catalog.addCatalogVersion(publisher, { ...version, orgId: initech.id, itemId: item.id });
      await catalog.submitForReview(publisher, { orgId: initech.id, versionId: draft.id });
      await catalog.approveVersion(operator, { versionId: draft.id });
    }
    if (demo.deprecated) await catalog.deprecateAnyCatalogItem(operator, { itemId: item.id });
  }
}
