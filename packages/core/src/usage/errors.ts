export const usageErrors = {
  API_RATE_LIMITED: "TOO_MANY_REQUESTS",
} as const;
