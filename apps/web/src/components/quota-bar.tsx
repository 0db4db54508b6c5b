import { cn } from "@wharf/ui";

const UNITS: Record<string, number> = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9 };

/** Kubernetes quantities ("500m", "4Gi", "20") as numbers, to compare use with a limit. */
export function quantity(value: string | number): number {
  if (typeof value === "number") return value;
  const match = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(value.trim());
  return match ? Number(match[1]) * (UNITS[match[2]!] ?? 1) : 0;
}

export function QuotaBar({ label, used, limit }: { label: string; used: string | null; limit: string | number }) {
  const fraction = used === null ? 0 : Math.min(1, quantity(used) / Math.max(quantity(limit), Number.EPSILON));
  return (
    <div>
      <div className="flex justify-between text-xs text-slate-600">
        <span>{label}</span>
        <span>
          {used ?? "—"} / {limit}
        </span>
      </div>
      <div
        className="mt-1 h-2 rounded-full bg-slate-100"
        role="meter"
        aria-label={`${label} used`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(fraction * 100)}
      >
        <div className={cn("h-2 rounded-full", fraction > 0.9 ? "bg-red-500" : fraction > 0.7 ? "bg-amber-500" : "bg-emerald-500")} style={{ width: `${fraction * 100}%` }} />
      </div>
    </div>
  );
}
