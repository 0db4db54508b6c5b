// Kubernetes resource quantities ("500m", "32Gi", "1.5", "2e3") as plain numbers.

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The quantity in base units (cores, bytes, count); NaN when it is not a quantity. */
export function parseQuantity(value: string | number | undefined | null): number {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return Number.NaN;
  const m = value.trim().match(/^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/);
  if (!m) return Number.NaN;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? "";
  return base * (BINARY[suffix] ?? DECIMAL[suffix] ?? Number.NaN);
}

export function cpuMillicores(value: string | number | undefined | null): number {
  return Math.round(parseQuantity(value) * 1000);
}
