import { TRPCClientError } from "@trpc/client";

/** The message and per-field messages of a failed call, for forms. */
export function describeError(error: unknown): { message: string; fieldErrors: Record<string, string[] | undefined> } {
  if (error instanceof TRPCClientError) {
    const data = error.data as { fieldErrors?: Record<string, string[]> | null } | undefined;
    return { message: error.message, fieldErrors: data?.fieldErrors ?? {} };
  }
  return { message: "Something went wrong. Try again.", fieldErrors: {} };
}

/** The machine-readable code core gave the failure (`DEPLOY_GATE_CLOSED`, …), if any. */
export function appCodeOf(error: unknown): string | null {
  if (error instanceof TRPCClientError) return (error.data as { appCode?: string | null } | undefined)?.appCode ?? null;
  return null;
}
