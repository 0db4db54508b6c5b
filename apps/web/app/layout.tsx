import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { TRPCReactProvider } from "~/trpc/react";
import "./globals.css";

export const metadata: Metadata = { title: { default: "Wharf", template: "%s · Wharf" }, description: "The platform console" };
export const viewport: Viewport = { width: "device-width", initialScale: 1 };

/**
 * Every page renders per request: Next.js puts the request's CSP nonce (proxy.ts) on its scripts
 * only while rendering, so a page prerendered at build time would carry none and be blocked.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen">
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
