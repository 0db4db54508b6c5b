import { z } from "zod";
import { Email, Id, OrgId, OrgStatus, PageInput, page } from "./common";
import { Password } from "./identity";

export const PartnerApplicationId = Id("pap");

export const PartnerApplicationStatus = z.enum(["UNVERIFIED", "PENDING", "APPROVED", "REJECTED"]);
export type PartnerApplicationStatus = z.infer<typeof PartnerApplicationStatus>;

export const INTENDED_USE_MIN_LENGTH = 40;
/** Bounds of an operator's per-key rate-limit override (requests per minute). */
export const MIN_RATE_LIMIT_PER_MINUTE = 1;
export const MAX_RATE_LIMIT_PER_MINUTE = 100_000;

export const PartnerWebsite = z
  .string()
  .trim()
  .max(200, "Use at most 200 characters")
  .pipe(z.url({ protocol: /^https?$/, hostname: z.regexes.domain, error: "Enter the full address of your website, starting with https://" }));

export const RegisterPartnerInput = z.object({
  company: z.string().trim().min(2, "Use at least 2 characters").max(100, "Use at most 100 characters"),
  website: PartnerWebsite,
  contactName: z.string().trim().min(1, "Tell us who to contact").max(100, "Use at most 100 characters"),
  contactEmail: Email,
  intendedUse: z
    .string()
    .trim()
    .min(INTENDED_USE_MIN_LENGTH, `Tell us in a few sentences (at least ${INTENDED_USE_MIN_LENGTH} characters) what you will build`)
    .max(2000, "Use at most 2000 characters"),
  acceptTerms: z.literal(true, { error: "Accept the partner terms to register" }),
  /** Only when registering without an account: the new account's password. */
  password: Password.optional(),
});
export type RegisterPartnerInput = z.infer<typeof RegisterPartnerInput>;

export const PartnerApplicationView = z.object({
  id: z.string(),
  orgId: z.string(),
  orgSlug: z.string(),
  orgName: z.string(),
  company: z.string(),
  website: z.string(),
  contactName: z.string(),
  contactEmail: z.string(),
  intendedUse: z.string(),
  status: PartnerApplicationStatus,
  /** The operator's reason, shown to the applicant when rejected. */
  reviewReason: z.string().nullable(),
  reviewedAt: z.date().nullable(),
  emailVerifiedAt: z.date().nullable(),
  createdAt: z.date(),
});
export type PartnerApplicationView = z.infer<typeof PartnerApplicationView>;

export const VerificationLink = z.object({
  /** Present only when no mail server is configured: shown to the applicant instead. */
  link: z.string().nullable(),
  emailed: z.boolean(),
});

export const RegisterPartnerOutput = z.object({
  application: PartnerApplicationView,
  accountCreated: z.boolean(),
  verification: VerificationLink,
});
export type RegisterPartnerOutput = z.infer<typeof RegisterPartnerOutput>;

export const PartnerVerificationToken = z.string().regex(/^[0-9A-Za-z]{20,64}$/, "This verification link is not valid");
export const VerifyPartnerEmailInput = z.object({ token: PartnerVerificationToken });
export type VerifyPartnerEmailInput = z.infer<typeof VerifyPartnerEmailInput>;
export const VerifyPartnerEmailOutput = z.object({ company: z.string(), status: PartnerApplicationStatus });

export const PartnerApplicationInput = z.object({ applicationId: PartnerApplicationId });
export type PartnerApplicationInput = z.infer<typeof PartnerApplicationInput>;

export const ListMyPartnerApplicationsInput = PageInput.extend({ orgId: OrgId.optional() });
export type ListMyPartnerApplicationsInput = z.input<typeof ListMyPartnerApplicationsInput>;
export const PartnerApplicationPage = page(PartnerApplicationView);

export const ListPartnerApplicationsInput = PageInput.extend({
  status: PartnerApplicationStatus.optional(),
  search: z.string().trim().max(80, "Search with at most 80 characters").optional(),
});
export type ListPartnerApplicationsInput = z.input<typeof ListPartnerApplicationsInput>;

export const OperatorPartnerRow = PartnerApplicationView.extend({
  orgStatus: OrgStatus,
  /** The operators' override; null means the default applies. */
  rateLimitPerMinute: z.number().int().nullable(),
  effectiveRateLimitPerMinute: z.number().int(),
});
export type OperatorPartnerRow = z.infer<typeof OperatorPartnerRow>;
export const OperatorPartnerPage = page(OperatorPartnerRow);

export const RejectPartnerInput = PartnerApplicationInput.extend({
  reason: z.string().trim().min(3, "Tell the applicant why, in at least 3 characters").max(500, "Use at most 500 characters"),
});
export type RejectPartnerInput = z.infer<typeof RejectPartnerInput>;

export const SetPartnerRateLimitInput = z.object({
  orgId: OrgId,
  rateLimitPerMinute: z
    .number()
    .int("Whole requests per minute")
    .min(MIN_RATE_LIMIT_PER_MINUTE, `At least ${MIN_RATE_LIMIT_PER_MINUTE} request per minute`)
    .max(MAX_RATE_LIMIT_PER_MINUTE, `At most ${MAX_RATE_LIMIT_PER_MINUTE.toLocaleString("en")} requests per minute`)
    .nullable(),
});
export type SetPartnerRateLimitInput = z.infer<typeof SetPartnerRateLimitInput>;

/** What the partner console shows about its own organisation. */
export const PartnerProfile = z.object({
  application: PartnerApplicationView,
  rateLimitPerMinute: z.number().int(),
  rateLimitIsDefault: z.boolean(),
});
export type PartnerProfile = z.infer<typeof PartnerProfile>;

export const PartnerRateLimit = z.object({
  orgId: z.string(),
  rateLimitPerMinute: z.number().int().nullable(),
  effectiveRateLimitPerMinute: z.number().int(),
});
export type PartnerRateLimit = z.infer<typeof PartnerRateLimit>;
