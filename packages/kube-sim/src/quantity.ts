// Resource quantities ("100m", "128Mi", "1.5G") as plain numbers and back.

const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

export function parseQuantity(q: unknown): number {
  if (typeof q === "number") return q;
  if (typeof q !== "string") return 0;
  const m = q.trim().match(/^([+-]?[0-9.]+(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/);
  if (!m) return NaN;
  return Number(m[1]) * (SUFFIX[m[2] ?? ""] ?? 1);
}

export function isQuantity(q: unknown): boolean {
  return !Number.isNaN(parseQuantity(q));
}

/** Formats like the API server's canonical form for the common cases. */
export function formatQuantity(n: number, like?: string): string {
  if (like !== undefined && /[KMGTPE]i$/.test(like)) {
    for (const s of ["Ei", "Pi", "Ti", "Gi", "Mi", "Ki"]) {
      const f = SUFFIX[s] as number;
      if (n >= f && Number.isInteger(n / f)) return `${n / f}${s}`;
    }
    return String(Math.round(n));
  }
  if (Number.isInteger(n)) return String(n);
  return `${Math.round(n * 1000)}m`;
}
