export * from "./common";
export * from "./identity";
export * from "./tenancy";
export * from "./audit";
export * from "./clusters";
export * from "./apps";
export * from "./catalog";
export * from "./keys";
