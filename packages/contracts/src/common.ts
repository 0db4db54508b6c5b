import { z } from "zod";

/** Prefixed ids (`org_…`, `usr_…`): checked for shape so garbage never reaches a query. */
export const Id = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}_[0-9A-Za-z]{8,40}$`), `Expected an id that starts with ${prefix}_`);

/**
 * Text Postgres can store: no NUL (text and jsonb cannot hold it) and no lone UTF-16
 * surrogate (not Unicode at all; Postgres refuses it as "unexpected end of hex escape").
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const isStorableText = (text: string): boolean => !UNSTORABLE.test(text);
export const UNSTORABLE_TEXT_MESSAGE = "Contains a character that cannot be stored (a NUL or an unpaired surrogate)";

/** A string field that refuses what Postgres cannot hold, as bad input rather than a server fault. */
export const SafeText = () => z.string().refine(isStorableText, UNSTORABLE_TEXT_MESSAGE);

/**
 * Every transport input, whatever its shape, is checked with this before its own schema:
 * each string (and object key) at any depth must be storable. One guard for every field,
 * so no new free-text field can carry a NUL to Postgres.
 */
export const StorableInput = z.unknown().superRefine((value, ctx) => {
  const visit = (node: unknown, path: PropertyKey[], depth: number): void => {
    if (typeof node === "string") {
      if (!isStorableText(node)) ctx.addIssue({ code: "custom", message: UNSTORABLE_TEXT_MESSAGE, path });
      return;
    }
    if (depth > 32 || node === null || typeof node !== "object") return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, [...path, i], depth + 1));
      return;
    }
    if (Object.getPrototypeOf(node) !== Object.prototype && Object.getPrototypeOf(node) !== null) return;
    for (const [key, item] of Object.entries(node)) {
      if (!isStorableText(key)) ctx.addIssue({ code: "custom", message: UNSTORABLE_TEXT_MESSAGE, path: [...path, key] });
      visit(item, [...path, key], depth + 1);
    }
  };
  visit(value, [], 0);
});

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
