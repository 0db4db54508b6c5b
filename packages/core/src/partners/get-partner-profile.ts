import type { PartnerProfile } from "@wharf/contracts";
import { withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { effectiveRateLimit, partnersRepository as repo, toApplicationView } from "./partners-repository";

/** The partner console's summary of its own organisation: the application and the API rate limit. */
export async function getPartnerProfile(scope: TenantScope): Promise<PartnerProfile> {
  const application = await withTenant(scope.orgId, (tx) => repo.findApplicationOfOrg(tx, scope.orgId));
  if (!application) throw new AppError("PARTNER_NOT_FOUND", "This organisation is not a registered partner");
  const override = application.org.apiRateLimitPerMinute;
  return { application: toApplicationView(application), rateLimitPerMinute: effectiveRateLimit(override), rateLimitIsDefault: override === null };
}
