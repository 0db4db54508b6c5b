export const sloErrors = {} as const;
