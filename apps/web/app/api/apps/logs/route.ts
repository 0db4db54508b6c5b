import { authorizeTenant } from "@wharf/api";
import { clientIp } from "@wharf/auth";
import { AppLogsInput } from "@wharf/contracts";
import { AppError, HTTP_STATUS, apps, health } from "@wharf/core";
import { sessionUser } from "~/auth";
import { sameSiteOnly } from "~/same-origin";

function problem(status: number, message: string) {
  return Response.json({ error: { message } }, { status });
}

/**
 * A pod's logs as plain text: `follow=1` keeps the response open and streams
 * new lines as the container writes them; `download=1` returns a file.
 */
export const GET = sameSiteOnly(async (request: Request) => {
  const user = await sessionUser();
  if (!user) return problem(401, "Sign in to continue");
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = AppLogsInput.safeParse(params);
  if (!parsed.success) return problem(400, parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const actor = { userId: user.id, email: user.email, isOperator: user.isOperator, ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") };
  try {
    const { scope } = await authorizeTenant(actor, parsed.data.orgId, "apps.read");
    if (params.follow !== "1") {
      const text = await apps.getAppLogs(scope, parsed.data);
      const headers: Record<string, string> = { "Content-Type": "text/plain; charset=utf-8" };
      if (params.download === "1") headers["Content-Disposition"] = `attachment; filename="${parsed.data.pod}.log"`;
      return new Response(text, { headers });
    }
    const stream = await apps.followAppLogs(scope, parsed.data);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        request.signal.addEventListener("abort", () => stream.stop());
        // The process is draining (SIGTERM): end the stream cleanly; the client reconnects elsewhere.
        health.shutdownSignal().addEventListener("abort", () => stream.stop(), { once: true });
        try {
          for await (const line of stream.lines) controller.enqueue(encoder.encode(`${String(line).replace(/\n$/, "")}\n`));
        } finally {
          controller.close();
        }
      },
      cancel() {
        stream.stop();
      },
    });
    return new Response(body, { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" } });
  } catch (error) {
    if (error instanceof AppError) return problem(HTTP_STATUS[error.kind], error.message);
    throw error;
  }
});
