// Demo apps for embedded mode's traffic generator, on first start only: the shop suite in
// Acme's prod space and a smaller set in Globex's, deployed through core like anyone
// would; and the platform team's own organisation with a shared "auth" service that
// the demo apps call, so tenant maps show a shared service.
import { apps, tenancy, telemetry, type Actor } from "@wharf/core";
import { withPlatform } from "@wharf/db";

const request = { ip: "127.0.0.1", userAgent: "wharf-seed" };

/** Deployed in this order, so each app's dependencies are already there. */
const DEMO_APPS: Record<string, { owner: string; space: string; slugs: string[] }> = {
  acme: { owner: "alice@acme.example", space: "prod", slugs: ["redis-cache", "payments", "catalog-api", "cart", "storefront"] },
  globex: { owner: "gina@globex.example", space: "main", slugs: ["redis-cache", "payments", "cart"] },
};

async function actorFor(email: string, isOperator = false): Promise<Actor> {
  const user = await withPlatform("seed", (tx) => tx.user.findUniqueOrThrow({ where: { email } }));
  return { userId: user.id, email: user.email, isOperator, ...request };
}

export async function seedDemoApps(): Promise<void> {
  for (const [slug, plan] of Object.entries(DEMO_APPS)) {
    const actor = await actorFor(plan.owner);
    const { org, space, versions } = await withPlatform("seed", async (tx) => {
      const org = await tx.organization.findUniqueOrThrow({ where: { slug } });
      return {
        org,
        space: await tx.tenantSpace.findFirst({ where: { orgId: org.id, name: plan.space, deletedAt: null } }),
        versions: await tx.catalogVersion.findMany({
          where: { status: "PUBLISHED", item: { slug: { in: plan.slugs } } },
          orderBy: { createdAt: "desc" },
          select: { id: true, item: { select: { slug: true } } },
        }),
      };
    });
    if (!space) continue;
    const scope = { orgId: org.id, role: "OWNER" as const, actor };
    for (const itemSlug of plan.slugs) {
      const version = versions.find((v) => v.item.slug === itemSlug);
      if (!version) continue;
      try {
        await apps.deployApp(scope, { orgId: org.id, spaceId: space.id, name: itemSlug, catalogVersionId: version.id, params: {}, replicas: 1 });
      } catch (error) {
        console.warn(`demo app ${slug}/${itemSlug} not deployed: ${error instanceof Error ? error.message : error}`);
      }
    }
  }

  const operator = await actorFor("ops@wharf.local", true);
  const platform = await tenancy.createOrganization(operator, { name: "Wharf Platform", slug: "platform" });
  await telemetry.registerSharedService(operator, { orgId: platform.id, namespace: "wharf-system", name: "auth" });
}
