import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import NextGlobalError from "next/dist/client/components/builtin/global-error";
import GlobalError from "./global-error";

// The CSP refuses unnonced <style> elements, which is why Next's own page is replaced; nothing
// here may bring one back. (style="" attributes are allowed by style-src-attr, but are not needed.)
describe("global error page", () => {
  const render = (error: Error & { digest?: string }) => renderToStaticMarkup(<GlobalError error={error} retry={() => undefined} />);

  it("renders a whole document styled by the app's classes, with no inline styles", () => {
    const html = render(new Error("boom"));
    expect(html).toMatch(/^<html lang="en"><head>.*<\/head><body class="min-h-screen">/);
    expect(html).not.toMatch(/<style|\sstyle=/);
    expect(html).toContain("Try again");
    expect(html).not.toContain("boom");
  });

  it("(control) Next's default page does carry an unnonced <style>", () => {
    expect(renderToStaticMarkup(<NextGlobalError error={new Error("boom")} />)).toMatch(/<style>/);
  });

  it("names a server error by its digest only", () => {
    const html = render(Object.assign(new Error("secret detail"), { digest: "4117093265" }));
    expect(html).toContain("Reference: 4117093265");
    expect(html).not.toContain("secret detail");
  });
});
