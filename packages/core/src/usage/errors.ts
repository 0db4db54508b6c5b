export const usageErrors = {} as const;
