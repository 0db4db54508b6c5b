import { beforeAll, describe, expect, it, vi } from "vitest";
import { crossSiteRefusal, refuseCrossSite, sameSiteOnly } from "./same-origin";

const PUBLIC_URL = "https://wharf.example.com";

const request = (headers: Record<string, string>, host = "wharf.example.com") =>
  new Request("http://internal:3000/api/trpc/apps.scale", { method: "POST", headers: { host, ...headers } });

describe("crossSiteRefusal", () => {
  it("accepts the console's own pages, by public URL or by the host the browser addressed", () => {
    expect(crossSiteRefusal(request({ origin: "https://wharf.example.com", "sec-fetch-site": "same-origin" }), PUBLIC_URL)).toBeNull();
    expect(crossSiteRefusal(request({ origin: "http://localhost:3100" }, "localhost:3100"), PUBLIC_URL)).toBeNull();
  });

  it("refuses another site, a sibling origin and an opaque origin", () => {
    expect(crossSiteRefusal(request({ origin: "https://evil.example.net", "sec-fetch-site": "cross-site" }), PUBLIC_URL)).toContain("Origin https://evil.example.net");
    expect(crossSiteRefusal(request({ origin: "https://blog.example.com", "sec-fetch-site": "same-site" }), PUBLIC_URL)).not.toBeNull();
    expect(crossSiteRefusal(request({ origin: "null" }), PUBLIC_URL)).not.toBeNull();
  });

  it("without Origin, goes by Sec-Fetch-Site", () => {
    expect(crossSiteRefusal(request({ "sec-fetch-site": "cross-site" }), PUBLIC_URL)).toContain("Sec-Fetch-Site cross-site");
    expect(crossSiteRefusal(request({ "sec-fetch-site": "same-site" }), PUBLIC_URL)).not.toBeNull();
    expect(crossSiteRefusal(request({ "sec-fetch-site": "same-origin" }), PUBLIC_URL)).toBeNull();
    expect(crossSiteRefusal(request({ "sec-fetch-site": "none" }), PUBLIC_URL)).toBeNull();
  });

  it("lets through what no web page sent (curl, servers)", () => {
    expect(crossSiteRefusal(request({}), PUBLIC_URL)).toBeNull();
  });
});

describe("refuseCrossSite", () => {
  it("answers 403 with a code and a message", async () => {
    const response = refuseCrossSite(request({ origin: "https://evil.example.net" }), PUBLIC_URL);
    expect(response?.status).toBe(403);
    const body = (await response?.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("CROSS_SITE_REQUEST");
    expect(body.error.message).toMatch(/another site/);
  });

  it("lets same-origin requests carry on", () => {
    expect(refuseCrossSite(request({ origin: PUBLIC_URL }), PUBLIC_URL)).toBeNull();
  });
});

describe("sameSiteOnly", () => {
  beforeAll(() => {
    vi.stubEnv("AUTH_SECRET", "x".repeat(32));
    vi.stubEnv("WHARF_PUBLIC_URL", "https://wharf.example.com");
  });
  const handler = sameSiteOnly(async () => new Response("done"));

  it("never runs the handler for another site", async () => {
    let ran = false;
    const guarded = sameSiteOnly(async () => ((ran = true), new Response("done")));
    const response = await guarded(new Request("http://localhost:3000/api/apps/logs", { headers: { "sec-fetch-site": "cross-site" } }));
    expect(response.status).toBe(403);
    expect(ran).toBe(false);
  });

  it("runs it for the console's own pages", async () => {
    const response = await handler(new Request("http://localhost:3000/api/trpc/x", { method: "POST", headers: { host: "localhost:3000", origin: "http://localhost:3000" } }));
    expect(await response.text()).toBe("done");
  });
});
