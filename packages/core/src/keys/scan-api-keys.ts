import type { ApiKeyKind } from "@wharf/contracts";
import { API_KEY_PATTERN, apiKeyPrefix, parseApiKeyToken } from "./api-key-token";

/** A string in some text that looks like a Wharf API key. Holds the key's prefix only, never the key. */
export interface ApiKeyFinding {
  /** 1-based line and column of the key's first character. */
  line: number;
  column: number;
  kind: ApiKeyKind;
  prefix: string;
  /** True when the checksum matches: almost certainly a real key, not a look-alike or a typo. */
  validChecksum: boolean;
}

const KIND_OF_TAG: Record<string, ApiKeyKind> = { tnt: "TENANT", ptr: "PARTNER" };

/** Finds every API-key-shaped string in `text` and checks its checksum offline. */
export function scanForApiKeys(text: string): ApiKeyFinding[] {
  const findings: ApiKeyFinding[] = [];
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  let lineIndex = 0;
  for (const match of text.matchAll(new RegExp(API_KEY_PATTERN.source, "g"))) {
    const offset = match.index;
    while (lineIndex + 1 < lineStarts.length && (lineStarts[lineIndex + 1] as number) <= offset) lineIndex++;
    const parsed = parseApiKeyToken(match[0]);
    findings.push({
      line: lineIndex + 1,
      column: offset - (lineStarts[lineIndex] as number) + 1,
      kind: parsed?.kind ?? (KIND_OF_TAG[match[1] as string] as ApiKeyKind),
      prefix: apiKeyPrefix(match[0]),
      validChecksum: parsed !== null,
    });
  }
  return findings;
}
