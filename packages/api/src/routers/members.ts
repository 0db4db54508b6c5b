import {
  ChangeMemberRoleInput,
  InvitationPage,
  InviteMemberInput,
  InviteMemberOutput,
  ListInvitationsInput,
  ListMembersInput,
  MemberPage,
  RemoveMemberInput,
  RevokeInvitationInput,
} from "@wharf/contracts";
import { tenancy } from "@wharf/core";
import { z } from "zod";
import { orgProcedure, router } from "../trpc";

export const membersRouter = router({
  list: orgProcedure
    .meta({ permission: "members.read" })
    .input(ListMembersInput)
    .output(MemberPage)
    .query(({ ctx, input }) => tenancy.listMembers(ctx.scope, input)),

  invite: orgProcedure
    .meta({ permission: "members.invite" })
    .input(InviteMemberInput)
    .output(InviteMemberOutput)
    .mutation(({ ctx, input }) => tenancy.inviteMember(ctx.scope, input)),

  invitations: orgProcedure
    .meta({ permission: "members.read" })
    .input(ListInvitationsInput)
    .output(InvitationPage)
    .query(({ ctx, input }) => tenancy.listInvitations(ctx.scope, input)),

  revokeInvitation: orgProcedure
    .meta({ permission: "members.invite" })
    .input(RevokeInvitationInput)
    .output(z.void())
    .mutation(({ ctx, input }) => tenancy.revokeInvitation(ctx.scope, input)),

  changeRole: orgProcedure
    .meta({ permission: "members.update" })
    .input(ChangeMemberRoleInput)
    .output(z.void())
    .mutation(({ ctx, input }) => tenancy.changeMemberRole(ctx.scope, input)),

  remove: orgProcedure
    .meta({ permission: "members.remove" })
    .input(RemoveMemberInput)
    .output(z.void())
    .mutation(({ ctx, input }) => tenancy.removeMember(ctx.scope, input)),
});
