export const partnersErrors = {} as const;
