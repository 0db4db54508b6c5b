export { createDb, getDb, type Db } from "./client";
export { withTenant, withUser, withPlatform, inScope, type Tx, type Scope } from "./scopes";
export { createId, randomBase62, type IdPrefix } from "./ids";
export { listen } from "./listen";
export { EXPECTED_MIGRATION } from "./expected-migration";
export { Prisma } from "./generated/prisma/client";
export type * from "./generated/prisma/models";
export type { Operation, TenantSpace, Cluster, Organization, User, CatalogItem, CatalogVersion, AppInstance, AppRevision } from "./generated/prisma/client";
export * from "./generated/prisma/enums";
