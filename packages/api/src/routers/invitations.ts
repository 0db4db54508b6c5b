import { AcceptInvitationOutput, InvitationPreview, InvitationTokenInput } from "@wharf/contracts";
import { tenancy } from "@wharf/core";
import { authedProcedure, publicProcedure, router } from "../trpc";

export const invitationsRouter = router({
  preview: publicProcedure
    .meta({ permission: "public" })
    .input(InvitationTokenInput)
    .output(InvitationPreview)
    .query(({ input }) => tenancy.previewInvitation(input.token)),

  accept: authedProcedure
    .meta({ permission: "invitations.accept" })
    .input(InvitationTokenInput)
    .output(AcceptInvitationOutput)
    .mutation(({ ctx, input }) => tenancy.acceptInvitation(ctx.actor, input.token)),
});
