import { SignUpInput, UserSummary } from "@wharf/contracts";
import { identity } from "@wharf/core";
import { z } from "zod";
import { authedProcedure, publicProcedure, router } from "../trpc";

export const accountRouter = router({
  signUp: publicProcedure
    .meta({ permission: "public" })
    .input(SignUpInput)
    .output(UserSummary)
    .mutation(({ ctx, input }) => identity.signUp(input, { ip: ctx.actor?.ip ?? null, userAgent: ctx.actor?.userAgent ?? null })),

  me: authedProcedure
    .meta({ permission: "account.read" })
    .output(z.object({ id: z.string(), email: z.string(), isOperator: z.boolean() }))
    .query(({ ctx }) => ({ id: ctx.actor.userId, email: ctx.actor.email, isOperator: ctx.actor.isOperator })),
});
