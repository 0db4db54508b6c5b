/**
 * The paths where `observed` differs from what Wharf `desired`, looking only at
 * fields Wharf sets: a cluster may add fields (defaults, status), but may not
 * change or remove ours. Arrays must match element by element.
 */
export function divergence(desired: unknown, observed: unknown, path = ""): string[] {
  if (desired === null || typeof desired !== "object") {
    return String(desired) === String(observed) ? [] : [path || "(value)"];
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(observed) || observed.length !== desired.length) return [path];
    return desired.flatMap((item, i) => divergence(item, observed[i], `${path}[${i}]`));
  }
  if (observed === null || typeof observed !== "object") return [path];
  return Object.entries(desired).flatMap(([key, value]) =>
    divergence(value, (observed as Record<string, unknown>)[key], path ? `${path}.${key}` : key),
  );
}

/** The fields of a manifest that describe intent (not identity or bookkeeping). */
export function intent(manifest: Record<string, unknown>): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, metadata, status: _s, ...rest } = manifest;
  const labels = (metadata as { labels?: Record<string, string> } | undefined)?.labels;
  return { ...(labels ? { metadata: { labels } } : {}), ...rest };
}
