import { ApiKeyPage, ApiKeyView, CreateApiKeyInput, CreatedApiKey, ListApiKeysInput, RevokeApiKeyInput, RotateApiKeyInput } from "@wharf/contracts";
import { keys } from "@wharf/core";
import { orgProcedure, router } from "../trpc";

export const keysRouter = router({
  list: orgProcedure
    .meta({ permission: "keys.read" })
    .input(ListApiKeysInput)
    .output(ApiKeyPage)
    .query(({ ctx, input }) => keys.listApiKeys(ctx.scope, input)),

  /** The only response that carries the key itself. */
  create: orgProcedure
    .meta({ permission: "keys.manage" })
    .input(CreateApiKeyInput)
    .output(CreatedApiKey)
    .mutation(({ ctx, input }) => keys.createApiKey(ctx.scope, input)),

  revoke: orgProcedure
    .meta({ permission: "keys.manage" })
    .input(RevokeApiKeyInput)
    .output(ApiKeyView)
    .mutation(({ ctx, input }) => keys.revokeApiKey(ctx.scope, input)),

  rotate: orgProcedure
    .meta({ permission: "keys.manage" })
    .input(RotateApiKeyInput)
    .output(CreatedApiKey)
    .mutation(({ ctx, input }) => keys.rotateApiKey(ctx.scope, input)),
});
