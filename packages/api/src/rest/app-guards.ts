// What the routes that touch an app share: the key's space, and how the deploy gate refuses.
import { AppError, apps, type TenantScope, type keys } from "@wharf/core";

// A key limited to a space sees and acts only in that space: anything else is "not found".
export function spaceFilter(principal: keys.ApiPrincipal, requested: string | undefined): string | undefined {
  if (!principal.spaceId) return requested;
  if (requested && requested !== principal.spaceId) throw new AppError("SPACE_NOT_FOUND", "This API key is limited to another space");
  return principal.spaceId;
}

export async function checkAppInKeySpace(principal: keys.ApiPrincipal, scope: TenantScope, appId: string) {
  if (!principal.spaceId) return;
  const app = await apps.getApp(scope, { orgId: scope.orgId, appId });
  if (app.space.id !== principal.spaceId) throw new AppError("APP_NOT_FOUND", "No app with this id in your organisation");
}

// The error-budget deploy gate, as the console shows it: the same refusal, the same code.
export const GATE_NOTE =
  "While the app's error budget is spent or a page-level burn alert is open (the organisation's deploy gate policy), the change is refused with 409 `DEPLOY_GATE_CLOSED`, naming the budget and the alert. " +
  "`override` lets it through for a P0 fix or a security fix, audited; only an owner or admin signed in to the console may override, so an API key's override is refused with 403 `DEPLOY_GATE_OVERRIDE_FORBIDDEN`. Rollbacks and scaling are never gated.";
