import {
  ListMyPartnerApplicationsInput,
  ListPartnerApplicationsInput,
  OperatorPartnerPage,
  OperatorPartnerRow,
  OrgInput,
  PartnerApplicationInput,
  PartnerApplicationPage,
  PartnerProfile,
  PartnerRateLimit,
  RegisterPartnerInput,
  RegisterPartnerOutput,
  RejectPartnerInput,
  SetPartnerRateLimitInput,
  VerificationLink,
  VerifyPartnerEmailInput,
  VerifyPartnerEmailOutput,
} from "@wharf/contracts";
import { partners } from "@wharf/core";
import { authedProcedure, operatorProcedure, orgProcedure, publicProcedure, router } from "../trpc";

/** The open-platform portal (registration, verification, the applicant's view) and the operators' review. */
export const partnersRouter = router({
  register: publicProcedure
    .meta({ permission: "public" })
    .input(RegisterPartnerInput)
    .output(RegisterPartnerOutput)
    .mutation(({ ctx, input }) => partners.registerPartner({ actor: ctx.actor, ...ctx.request }, input)),

  verify: publicProcedure
    .meta({ permission: "public" })
    .input(VerifyPartnerEmailInput)
    .output(VerifyPartnerEmailOutput)
    .mutation(({ ctx, input }) => partners.verifyPartnerEmail(ctx.actor, input)),

  mine: authedProcedure
    .meta({ permission: "account.read" })
    .input(ListMyPartnerApplicationsInput)
    .output(PartnerApplicationPage)
    .query(({ ctx, input }) => partners.listMyPartnerApplications(ctx.actor, input)),

  resendVerification: authedProcedure
    .meta({ permission: "account.read" })
    .input(PartnerApplicationInput)
    .output(VerificationLink)
    .mutation(({ ctx, input }) => partners.resendPartnerVerification(ctx.actor, input)),

  profile: orgProcedure
    .meta({ permission: "org.read" })
    .input(OrgInput)
    .output(PartnerProfile)
    .query(({ ctx }) => partners.getPartnerProfile(ctx.scope)),

  applications: operatorProcedure
    .meta({ permission: "partners.review" })
    .input(ListPartnerApplicationsInput)
    .output(OperatorPartnerPage)
    .query(({ input }) => partners.listPartnerApplications(input)),

  approve: operatorProcedure
    .meta({ permission: "partners.review" })
    .input(PartnerApplicationInput)
    .output(OperatorPartnerRow)
    .mutation(({ ctx, input }) => partners.approvePartner(ctx.actor, input)),

  reject: operatorProcedure
    .meta({ permission: "partners.review" })
    .input(RejectPartnerInput)
    .output(OperatorPartnerRow)
    .mutation(({ ctx, input }) => partners.rejectPartner(ctx.actor, input)),

  setRateLimit: operatorProcedure
    .meta({ permission: "partners.limits" })
    .input(SetPartnerRateLimitInput)
    .output(PartnerRateLimit)
    .mutation(({ ctx, input }) => partners.setPartnerRateLimit(ctx.actor, input)),
});
