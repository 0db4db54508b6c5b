import { TRPCClientError } from "@trpc/client";

/** The message and per-field messages of a failed call, for forms. */
export function describeError(error: unknown): { message: string; fieldErrors: Record<string, string[] | undefined> } {
  if (error instanceof TRPCClientError) {
    const data = error.data as { fieldErrors?: Record<string, string[]> | null } | undefined;
    return { message: error.message, fieldErrors: data?.fieldErrors ?? {} };
  }
  return { message: "Something went wrong. Try again.", fieldErrors: {} };
}
