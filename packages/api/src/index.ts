export { appRouter, createCaller, type AppRouter } from "./root";
export { createContext, type Context, type SessionUser } from "./trpc";
export { authorizeTenant } from "./tenant-access";
export { handleOtlpTraces, type OtlpHandlerOptions } from "./otlp";
export { handleRestRequest } from "./rest/handle-rest-request";
export { buildOpenApiDocument } from "./rest/openapi";
