import Link from "next/link";

/** Replaces Next.js's default 404, whose inline <style> carries no nonce and the CSP refuses. */
export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="space-y-3 text-center">
        <h1 className="text-xl font-semibold">Page not found</h1>
        <p className="text-sm text-gray-600">There is nothing at this address.</p>
        <Link href="/" className="text-sm underline">
          Back to Wharf
        </Link>
      </div>
    </main>
  );
}
