import type { NextRequest } from "next/server";
import { AppError, identity } from "@wharf/core";
import { clientIp } from "@wharf/auth";
import { handlers } from "~/auth";
import { sameSiteOnly } from "~/same-origin";

export const GET = handlers.GET;

/**
 * Credential sign-ins are checked against the throttle before Auth.js sees
 * them, so a blocked caller gets a real 429 with Retry-After. Sign-in, sign-out and
 * session updates come from Wharf's own pages only; GETs stay open, because the OIDC
 * provider sends the browser back to the callback from its own site.
 */
export const POST = sameSiteOnly(async (request: NextRequest) => {
  if (request.nextUrl.pathname.endsWith("/callback/credentials")) {
    const form = await request.clone().formData().catch(() => null);
    const email = String(form?.get("email") ?? "").trim().toLowerCase();
    try {
      await identity.assertSignInAllowed(email, clientIp(request.headers));
    } catch (error) {
      if (error instanceof AppError && error.code === "SIGN_IN_THROTTLED") {
        const retryAfter = String(error.details.retryAfterSeconds ?? 900);
        return Response.json({ error: { code: error.code, message: error.message } }, { status: 429, headers: { "Retry-After": retryAfter } });
      }
      throw error;
    }
  }
  return handlers.POST(request);
});
