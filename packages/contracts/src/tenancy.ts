import { z } from "zod";
import { Email, InvitationId, MemberRole, OrgId, OrgKind, OrgStatus, PageInput, UserId, page } from "./common";

export const OrgSlug = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, "Use at least 3 characters")
  .max(40, "Use at most 40 characters")
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "Use lowercase letters, digits and dashes, starting and ending with a letter or digit");

export const CreateOrganizationInput = z.object({
  name: z.string().trim().min(2, "Use at least 2 characters").max(80, "Use at most 80 characters"),
  slug: OrgSlug,
});
export type CreateOrganizationInput = z.infer<typeof CreateOrganizationInput>;

export const OrganizationSummary = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  kind: OrgKind,
  status: OrgStatus,
  suspendedReason: z.string().nullable(),
});
export type OrganizationSummary = z.infer<typeof OrganizationSummary>;

export const MyOrganization = OrganizationSummary.extend({ role: MemberRole });
export type MyOrganization = z.infer<typeof MyOrganization>;

export const OrgInput = z.object({ orgId: OrgId });

export const Member = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: MemberRole,
  joinedAt: z.date(),
});
export type Member = z.infer<typeof Member>;

export const ListMembersInput = OrgInput.extend(PageInput.shape);
export const MemberPage = page(Member);

export const InviteMemberInput = z.object({ orgId: OrgId, email: Email, role: MemberRole });
export type InviteMemberInput = z.infer<typeof InviteMemberInput>;

export const InvitationSummary = z.object({
  id: z.string(),
  email: z.string(),
  role: MemberRole,
  expiresAt: z.date(),
  createdAt: z.date(),
});
export type InvitationSummary = z.infer<typeof InvitationSummary>;

export const InviteMemberOutput = z.object({
  invitation: InvitationSummary,
  /** Present only when no mail server is configured: the inviter passes it on. */
  link: z.string().nullable(),
  emailed: z.boolean(),
});

export const ListInvitationsInput = OrgInput.extend(PageInput.shape);
export const InvitationPage = page(InvitationSummary);
export const RevokeInvitationInput = z.object({ orgId: OrgId, invitationId: InvitationId });

export const InvitationToken = z.string().regex(/^[0-9A-Za-z]{20,64}$/, "This invitation link is not valid");
export const InvitationTokenInput = z.object({ token: InvitationToken });
export const InvitationPreview = z.object({
  orgName: z.string(),
  email: z.string(),
  role: MemberRole,
  expiresAt: z.date(),
});
export const AcceptInvitationOutput = z.object({ orgId: z.string(), slug: z.string() });

export const ChangeMemberRoleInput = z.object({ orgId: OrgId, userId: UserId, role: MemberRole });
export type ChangeMemberRoleInput = z.infer<typeof ChangeMemberRoleInput>;
export const RemoveMemberInput = z.object({ orgId: OrgId, userId: UserId });
export type RemoveMemberInput = z.infer<typeof RemoveMemberInput>;

export const ListTenantsInput = PageInput.extend({
  search: z.string().trim().max(80, "Search with at most 80 characters").optional(),
});
export type ListTenantsInput = z.infer<typeof ListTenantsInput>;
export const TenantRow = OrganizationSummary.extend({ memberCount: z.number().int(), createdAt: z.date() });
export const TenantPage = page(TenantRow);

export const SuspendTenantInput = z.object({
  orgId: OrgId,
  reason: z.string().trim().min(3, "Say why, in at least 3 characters").max(500, "Use at most 500 characters"),
});
export type SuspendTenantInput = z.infer<typeof SuspendTenantInput>;

export type ListMembersInput = z.infer<typeof ListMembersInput>;
export type ListInvitationsInput = z.infer<typeof ListInvitationsInput>;
export type RevokeInvitationInput = z.infer<typeof RevokeInvitationInput>;
export type InvitationPreview = z.infer<typeof InvitationPreview>;
export type TenantRow = z.infer<typeof TenantRow>;
