import type { ZodType } from "zod";

export type ProductionSetting = "DATABASE_URL" | "AUTH_SECRET" | "WHARF_ENCRYPTION_KEY" | "WHARF_PUBLIC_URL";
export declare const productionSettings: Record<ProductionSetting, ZodType<string>>;
export declare function productionSettingsProblem(names: ProductionSetting[], env?: NodeJS.ProcessEnv): string | null;
export declare function requireProductionSettings(processName: string, names: ProductionSetting[], env?: NodeJS.ProcessEnv): void;
