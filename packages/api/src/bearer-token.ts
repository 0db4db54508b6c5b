/** The token of `Authorization: Bearer <token>`, or null: API keys arrive this way on REST and OTLP alike. */
export function bearerToken(headers: Headers): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "")?.[1] ?? null;
}
