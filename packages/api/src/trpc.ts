import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError, z } from "zod";
import { AppError, type Actor, type ErrorKind } from "@wharf/core";
import { type Permission, isPlatformPermission } from "@wharf/auth/permissions";
import { OrgId, StorableInput } from "@wharf/contracts";
import { transformer } from "./output-serializer";
import { authorizeTenant } from "./tenant-access";

// ---------------------------------------------------------------------------
// Context: the same factory serves the route handler, server components and tests.
// ---------------------------------------------------------------------------

export interface SessionUser {
  id: string;
  email: string;
  isOperator: boolean;
}

export interface CreateContextOptions {
  user: SessionUser | null;
  ip: string | null;
  userAgent: string | null;
}

export function createContext({ user, ip, userAgent }: CreateContextOptions) {
  const actor: Actor | null = user ? { userId: user.id, email: user.email, isOperator: user.isOperator, ip, userAgent } : null;
  // Also kept outside the actor: public procedures (partner registration) throttle by address.
  return { actor, request: { ip, userAgent } };
}

export type Context = ReturnType<typeof createContext>;

// ---------------------------------------------------------------------------
// Init: one error formatter for every procedure.
// ---------------------------------------------------------------------------

export interface Meta {
  /** Who may call: a permission from @wharf/auth, or "public". Every procedure says. */
  permission: Permission | "public";
}

const TRPC_CODE: Record<ErrorKind, TRPCError["code"]> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNPROCESSABLE: "UNPROCESSABLE_CONTENT",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // superjson on the wire both ways; outputs that are plain JSON and Dates skip its copy (output-serializer.ts).
    transformer,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      return {
        ...shape,
        // Never a stack trace to the user, in any environment.
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          appCode: cause instanceof AppError ? cause.code : null,
          fieldErrors: cause instanceof ZodError ? z.flattenError(cause).fieldErrors : null,
        },
        message: cause instanceof ZodError ? "Some fields need attention" : shape.message,
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Core speaks AppError; transports speak status codes. This is the one mapping. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: TRPC_CODE[cause.kind], message: cause.message, cause });
  }
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR") {
    console.error(result.error);
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Something went wrong on our side. It has been logged." });
  }
  return result;
});

// ---------------------------------------------------------------------------
// Procedures: public -> authed -> org member with permission; operator.
// ---------------------------------------------------------------------------

/** Strings Postgres cannot hold are bad input in any field of any procedure, refused before anything reads them. */
const storableInput = t.middleware(async ({ getRawInput, next }) => {
  const checked = StorableInput.safeParse(await getRawInput());
  if (!checked.success) throw new TRPCError({ code: "BAD_REQUEST", message: "Some fields need attention", cause: checked.error });
  return next();
});

export const publicProcedure = t.procedure.use(appErrors).use(storableInput);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
  return next({ ctx: { actor: ctx.actor } });
});

const OrgScoped = z.object({ orgId: OrgId });

/** Input carries `orgId`; the caller must be a member of an active organisation and hold the permission. */
export const orgProcedure = authedProcedure.use(async ({ ctx, meta, getRawInput, next }) => {
  const parsed = OrgScoped.safeParse(await getRawInput());
  if (!parsed.success) throw new TRPCError({ code: "BAD_REQUEST", message: "orgId is required, as an id that starts with org_", cause: parsed.error });
  const { scope, org } = await authorizeTenant(ctx.actor, parsed.data.orgId, meta?.permission);
  return next({ ctx: { scope, org } });
});

export const operatorProcedure = authedProcedure.use(({ ctx, meta, next }) => {
  const permission = meta?.permission;
  if (!ctx.actor.isOperator || !permission || permission === "public" || !isPlatformPermission(permission)) {
    throw new AppError("NOT_AN_OPERATOR", "Only platform operators can do this");
  }
  return next();
});
