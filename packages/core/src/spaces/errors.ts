export const spaceErrors = {
  SPACE_NOT_FOUND: "NOT_FOUND",
  SPACE_NAME_TAKEN: "CONFLICT",
  NAMESPACE_TAKEN: "CONFLICT",
} as const;
