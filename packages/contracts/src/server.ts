// The contracts whose checks need Ajv, for the server only (tRPC, REST, core). Ajv compiles
// schemas to functions (`new Function`), which the console's CSP forbids in the browser, and
// it is large: a client component that imports `@wharf/contracts` must not pull it in. The
// browser checks parameters with `@wharf/contracts/params-in-browser` instead.
// e2e/specs/ops-security-headers.spec.ts fails if Ajv reaches any browser chunk.
import { z } from "zod";
import { CatalogItemId, CatalogPort, CatalogProbes, CatalogResources, CatalogSlug, ContainerImage, DEFAULT_RESOURCES, JsonRecord, Semver } from "./catalog";
import { checkParams, describeParamErrors, describeSchemaProblems } from "./catalog-params";
import { CiTypeColor, CiTypeKey } from "./cmdb";
import { OrgId } from "./common";

export { checkParams, describeSchemaProblems, MAX_PARAMS_SCHEMA_BYTES } from "./catalog-params";

/** A JSON Schema (draft 2020-12) for an object of parameters, checked against the meta-schema. */
export const ParamsSchema = z.record(z.string(), z.unknown()).superRefine((schema, ctx) => {
  const problem = describeSchemaProblems(schema);
  if (problem) ctx.addIssue({ code: "custom", message: `The parameters schema ${problem}` });
});

export const AddCatalogVersionInput = z
  .object({
    orgId: OrgId,
    itemId: CatalogItemId,
    version: Semver,
    image: ContainerImage,
    paramsSchema: ParamsSchema,
    defaults: JsonRecord.default({}),
    ports: z.array(CatalogPort).max(10, "At most 10 ports").default([]),
    probes: CatalogProbes.default({}),
    resources: CatalogResources.default(DEFAULT_RESOURCES),
    dependsOn: z.array(CatalogSlug).max(10, "Depend on at most 10 services").default([]),
    releaseNotes: z.string().max(5_000, "Release notes are at most 5,000 characters").default(""),
  })
  .superRefine((v, ctx) => {
    const ports = v.ports.map((p) => p.port);
    if (new Set(ports).size !== ports.length) ctx.addIssue({ code: "custom", path: ["ports"], message: "Each port number appears once" });
    const names = v.ports.map((p) => p.name);
    if (new Set(names).size !== names.length) ctx.addIssue({ code: "custom", path: ["ports"], message: "Each port name appears once" });
    for (const kind of ["readiness", "liveness"] as const) {
      const probe = v.probes[kind];
      if (probe && !ports.includes(probe.port)) {
        ctx.addIssue({ code: "custom", path: ["probes"], message: `The ${kind} probe uses port ${probe.port}, which is not one of this version's ports` });
      }
    }
    if (new Set(v.dependsOn).size !== v.dependsOn.length) ctx.addIssue({ code: "custom", path: ["dependsOn"], message: "Each dependency appears once" });
    if (!describeSchemaProblems(v.paramsSchema)) {
      const { errors } = checkParams(v.paramsSchema, {}, v.defaults, { partial: true });
      if (Object.keys(errors).length) {
        ctx.addIssue({ code: "custom", path: ["defaults"], message: `The defaults do not fit the schema: ${describeParamErrors(errors)}` });
      }
    }
  });
export type AddCatalogVersionInput = z.input<typeof AddCatalogVersionInput>;

export const CreateCiTypeInput = z.object({
  key: CiTypeKey,
  name: z.string().trim().min(2).max(60),
  icon: z.string().max(8).default(""),
  color: CiTypeColor.default("#64748b"),
  attributeSchema: ParamsSchema,
});
export type CreateCiTypeInput = z.infer<typeof CreateCiTypeInput>;

export const UpdateCiTypeInput = z.object({
  key: CiTypeKey,
  name: z.string().trim().min(2).max(60).optional(),
  icon: z.string().max(8).optional(),
  color: CiTypeColor.optional(),
  attributeSchema: ParamsSchema.optional(),
});
export type UpdateCiTypeInput = z.infer<typeof UpdateCiTypeInput>;

