// Demo data for embedded mode: an operator, two tenants with members, a partner.
// Idempotent: it does nothing when the operator already exists, so a restart keeps
// whatever people changed. Everything goes through core, so the audit log tells the story.
import { identity, spaces, tenancy, type Actor } from "@wharf/core";
import { withPlatform } from "@wharf/db";

export const DEMO_PASSWORD = "wharf-demo-password";

export const DEMO_USERS = {
  operator: { name: "Olivia Operator", email: "ops@wharf.local" },
  alice: { name: "Alice Owner", email: "alice@acme.example" },
  dev: { name: "Dev Developer", email: "dev@acme.example" },
  viewer: { name: "Vic Viewer", email: "viewer@acme.example" },
  gina: { name: "Gina Owner", email: "gina@globex.example" },
  hank: { name: "Hank Admin", email: "hank@globex.example" },
  paula: { name: "Paula Partner", email: "paula@initech.example" },
} as const;

const request = { ip: "127.0.0.1", userAgent: "wharf-seed" };

async function signUp(who: keyof typeof DEMO_USERS, operator = false): Promise<Actor> {
  const { name, email } = DEMO_USERS[who];
  const user = await identity.signUp({ name, email, password: DEMO_PASSWORD }, request);
  if (operator) await withPlatform("seed operator", (tx) => tx.user.update({ where: { id: user.id }, data: { platformRole: "OPERATOR" } }));
  return { userId: user.id, email, isOperator: operator, ...request };
}

async function join(owner: Actor, orgId: string, member: Actor, role: "ADMIN" | "DEVELOPER" | "VIEWER") {
  const scope = { orgId, role: "OWNER" as const, actor: owner };
  const { link } = await tenancy.inviteMember(scope, { orgId, email: member.email, role });
  await tenancy.acceptInvitation(member, link!.split("/invite/")[1]!);
}

export async function seedDemoData(): Promise<{ seeded: boolean }> {
  const exists = await withPlatform("seed check", (tx) => tx.user.findUnique({ where: { email: DEMO_USERS.operator.email } }));
  if (exists) return { seeded: false };

  await signUp("operator", true);
  const alice = await signUp("alice");
  const acme = await tenancy.createOrganization(alice, { name: "Acme Retail", slug: "acme" });
  await join(alice, acme.id, await signUp("dev"), "DEVELOPER");
  await join(alice, acme.id, await signUp("viewer"), "VIEWER");

  const gina = await signUp("gina");
  const globex = await tenancy.createOrganization(gina, { name: "Globex Logistics", slug: "globex" });
  await join(gina, globex.id, await signUp("hank"), "ADMIN");

  const paula = await signUp("paula");
  const initech = await tenancy.createOrganization(paula, { name: "Initech Partners", slug: "initech" });
  await withPlatform("seed partner", (tx) => tx.organization.update({ where: { id: initech.id }, data: { kind: "PARTNER" } }));
  return { seeded: true };
}

/** Demo spaces on the registered clusters, on first start only. */
export async function seedDemoSpaces(): Promise<void> {
  const clusters = await spaces.listPlacementClusters();
  if (clusters.length === 0) return;
  const byEmail = (email: string) => withPlatform("seed", (tx) => tx.user.findUniqueOrThrow({ where: { email } }));
  const orgBySlug = (slug: string) => withPlatform("seed", (tx) => tx.organization.findUniqueOrThrow({ where: { slug } }));
  const place = async (ownerEmail: string, slug: string, name: string, cluster: { id: string }) => {
    const owner = await byEmail(ownerEmail);
    const org = await orgBySlug(slug);
    const actor: Actor = { userId: owner.id, email: owner.email, isOperator: false, ...request };
    await spaces.createSpace({ orgId: org.id, role: "OWNER", actor }, { orgId: org.id, name, clusterId: cluster.id });
  };
  const [first, second = first] = clusters;
  await place(DEMO_USERS.alice.email, "acme", "prod", first!);
  await place(DEMO_USERS.alice.email, "acme", "staging", second!);
  await place(DEMO_USERS.gina.email, "globex", "main", second!);
}
