export { appRouter, createCaller, type AppRouter } from "./root";
export { createContext, type Context, type SessionUser } from "./trpc";
export { authorizeTenant } from "./tenant-access";
