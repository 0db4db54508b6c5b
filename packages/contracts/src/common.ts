import { z } from "zod";

/** Prefixed ids (`org_…`, `usr_…`): checked for shape so garbage never reaches a query. */
export const Id = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}_[0-9A-Za-z]{8,40}$`), `Expected an id that starts with ${prefix}_`);

export const OrgId = Id("org");
export const UserId = Id("usr");
export const MembershipId = Id("mem");
export const InvitationId = Id("inv");

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "An email address has at most 254 characters")
  .email("Enter a valid email address");

/** Every list is cursor-paginated with a hard limit (house rule 7). */
export const MAX_PAGE_SIZE = 100;
export const PageInput = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
});

export const page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const MemberRole = z.enum(["OWNER", "ADMIN", "DEVELOPER", "VIEWER"]);
export type MemberRole = z.infer<typeof MemberRole>;

export const OrgKind = z.enum(["TENANT", "PARTNER"]);
export const OrgStatus = z.enum(["PENDING", "ACTIVE", "SUSPENDED"]);
export const PlatformRole = z.enum(["OPERATOR", "NONE"]);
