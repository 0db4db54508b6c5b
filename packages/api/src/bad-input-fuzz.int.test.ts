import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { API_SCOPES } from "@wharf/contracts";
import { keys, type TenantScope } from "@wharf/core";
import { withPlatform } from "@wharf/db";
import { appRouter } from "./root";
import { handleRestRequest } from "./rest/handle-rest-request";
import { restRoutes } from "./rest/routes";
import { callerFor, seedOrg, seedSpace, seedUser } from "./test/factories";

// Issue #11 item 8: bad input never answers 500. Strings Postgres cannot hold (NUL, a lone
// surrogate), malformed percent-escapes and very long strings, in every id and text field of
// every procedure and route, must be refused as input faults (4xx) in the JSON envelope.
const UNSTORABLE = ["\u0000", "\ud800", "a\u0000b", "x\udfffy", "\udc00\ud800"];
/** Storable but odd: may be accepted (a suspension reason "%ff" is text), never a 500. */
const ODD = ["%ff", "%00%ff", "x".repeat(20_000)];
const FIELDS = [
  "orgId", "id", "appId", "spaceId", "userId", "clusterId", "catalogVersionId", "itemId", "versionId", "keyId", "serviceId", "sloId",
  "invitationId", "relationId", "fromId", "toId", "slug", "name", "summary", "description", "search", "query", "q", "email", "token",
  "pod", "container", "type", "kind", "text", "yaml", "cursor", "namespace", "region", "apiServer", "image", "version", "reason", "note",
  "message", "title", "website", "contact", "category",
];

type Procedures = Record<string, { _def: { type: string } }>;
const procedures = Object.keys(appRouter._def.procedures as unknown as Procedures);

function call(caller: ReturnType<typeof callerFor>, path: string, input: unknown): Promise<unknown> {
  let fn: unknown = caller;
  for (const part of path.split(".")) fn = (fn as Record<string, unknown>)[part];
  return (fn as (input: unknown) => Promise<unknown>)(input);
}

function variants(orgId: string, strings: string[]): unknown[] {
  const out: unknown[] = [{}, undefined];
  for (const bad of strings) {
    out.push(bad, { orgId: bad }, { orgId: bad, id: "%ff", appId: bad });
    out.push(Object.fromEntries(FIELDS.map((f) => [f, f === "orgId" ? orgId : bad])));
    out.push({ orgId, params: { name: bad }, items: [{ line: 2, type: bad, name: bad, attributes: { k: bad }, manualAttributes: {} }], categories: [bad], scopes: [bad] });
  }
  return out;
}

const silenced: unknown[] = [];
beforeAll(() => {
  // Genuine server faults are logged; keep them for the assertion messages, not the console.
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void silenced.push(args));
});
afterAll(() => vi.restoreAllMocks());

const counts = (orgId: string) =>
  withPlatform("test", async (tx) => ({
    apps: await tx.appInstance.count({ where: { orgId } }),
    audit: (await tx.auditEvent.findMany({ where: { orgId }, select: { action: true, after: true }, orderBy: { createdAt: "asc" } })).map((e) => `${e.action} ${JSON.stringify(e.after)?.slice(0, 200)}`),
    keys: await tx.apiKey.count({ where: { orgId } }),
  }));

describe("tRPC: every procedure refuses unstorable strings as bad input", () => {
  it("never answers INTERNAL_SERVER_ERROR, and changes nothing", async () => {
    const { org, owner } = await seedOrg();
    await seedSpace(org.id);
    const operator = await seedUser({ operator: true });
    const callers = [callerFor(owner), callerFor(operator), callerFor(null)];
    const failures: string[] = [];
    const fuzz = async (strings: string[]) => {
      for (const path of procedures) {
        for (const input of variants(org.id, strings)) {
          for (const caller of callers) {
            try {
              await call(caller, path, input);
              if (strings === UNSTORABLE && input !== undefined && JSON.stringify(input) !== "{}") failures.push(`${path} ${JSON.stringify(input)?.slice(0, 120)}: accepted`);
            } catch (error) {
              const code = (error as { code?: string }).code;
              if (code === "INTERNAL_SERVER_ERROR" || code === undefined) {
                failures.push(`${path} ${JSON.stringify(input)?.slice(0, 120)}: ${code} ${(error as Error).message.slice(0, 200)}`);
              }
            }
          }
        }
      }
    };
    const before = await counts(org.id);
    await fuzz(UNSTORABLE);
    expect(failures).toEqual([]);
    expect(await counts(org.id)).toEqual(before);
    await fuzz(ODD);
    expect(failures).toEqual([]);
  }, 600_000);
});

describe("REST: every route answers bad input with a 4xx JSON error envelope", () => {
  it("never answers 5xx for bad path segments or bodies", async () => {
    const { org, owner } = await seedOrg();
    const scope: TenantScope = { orgId: org.id, role: "OWNER", actor: { userId: owner.id, email: owner.email, isOperator: false, ip: null, userAgent: "vitest" } };
    await seedSpace(org.id);
    const { token } = await keys.createApiKey(scope, {
      orgId: org.id,
      name: "fuzz",
      scopes: [...API_SCOPES],
      expiresInDays: 1,
    });
    const before = await counts(org.id);
    const segments = ["%ff", "%00%ff", "%00", "%ud800", "%ed%a0%80", "\u0000", "\ud800", "%", "x".repeat(5_000)];
    const failures: string[] = [];
    const paths = [...new Set([...restRoutes.map((r) => r.path), "/catalog/{x}/{y}", "/nowhere/{x}"])];
    for (const template of paths) {
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        for (const segment of segments) {
          const route = template.replace(/\{\w+\}/g, segment);
          for (const body of [undefined, Object.fromEntries(FIELDS.map((f) => [f, segment]))]) {
            for (const query of ["", `?cursor=${segment}&search=${segment}&spaceId=${segment}&q=${segment}`]) {
              const url = `http://wharf.test/api/v1${route}${query}`;
              let res: Response;
              try {
                res = await handleRestRequest(
                  new Request(url, {
                    method,
                    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
                    body: body && method !== "GET" ? JSON.stringify(body) : undefined,
                  }),
                );
              } catch (error) {
                failures.push(`${method} ${route.slice(0, 80)}${query.slice(0, 40)}: threw ${(error as Error).message}`);
                continue;
              }
              const text = await res.text();
              let envelope: unknown;
              try {
                envelope = JSON.parse(text);
              } catch {
                envelope = undefined;
              }
              const ok = res.status < 300 || (res.status < 500 && typeof (envelope as { error?: { code?: unknown } })?.error?.code === "string");
              if (!ok) failures.push(`${method} ${route.slice(0, 80)}${query.slice(0, 40)}: ${res.status} ${text.slice(0, 160)}`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    const after = await counts(org.id);
    // The fuzz key's own usage may be recorded; nothing else changes.
    expect(after).toEqual(before);
  }, 600_000);
});
