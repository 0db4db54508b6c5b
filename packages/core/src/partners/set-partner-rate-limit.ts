import { SetPartnerRateLimitInput, type PartnerRateLimit } from "@wharf/contracts";
import { withPlatform } from "@wharf/db";
import type { Actor } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { effectiveRateLimit, partnersRepository as repo } from "./partners-repository";

/** Operators' override of a partner's per-key rate limit; null returns it to the default. */
export async function setPartnerRateLimit(actor: Actor, input: SetPartnerRateLimitInput): Promise<PartnerRateLimit> {
  const { orgId, rateLimitPerMinute } = SetPartnerRateLimitInput.parse(input);
  return withPlatform("operator sets a partner rate limit", async (tx) => {
    const before = await repo.findPartnerOrganization(tx, orgId);
    if (!before) throw new AppError("PARTNER_NOT_FOUND", "No partner organisation with this id");
    const after = await repo.setRateLimit(tx, orgId, rateLimitPerMinute);
    await recordAuditEvent(tx, {
      actor,
      orgId,
      action: "partners.set_rate_limit",
      target: { type: "organization", id: orgId },
      before: { rateLimitPerMinute: before.apiRateLimitPerMinute },
      after: { rateLimitPerMinute: after.apiRateLimitPerMinute },
    });
    return { orgId, rateLimitPerMinute: after.apiRateLimitPerMinute, effectiveRateLimitPerMinute: effectiveRateLimit(after.apiRateLimitPerMinute) };
  });
}
