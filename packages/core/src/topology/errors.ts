export const topologyErrors = {} as const;
