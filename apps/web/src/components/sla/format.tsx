import type { SloState, SloView } from "@wharf/contracts";
import { Badge } from "@wharf/ui";

const STATE: Record<SloState, { label: string; tone: "green" | "amber" | "red" | "neutral" }> = {
  ok: { label: "ok", tone: "green" },
  burning: { label: "burning", tone: "amber" },
  exhausted: { label: "budget exhausted", tone: "red" },
  no_data: { label: "no data", tone: "neutral" },
};

export function SloStateBadge({ state }: { state: SloState }) {
  return <Badge tone={STATE[state].tone}>{STATE[state].label}</Badge>;
}

/** 0.99512 -> "99.512 %": enough digits to tell nines apart. */
export function percent(value: number | null, digits = 3): string {
  return value === null ? "—" : `${(value * 100).toFixed(digits).replace(/\.?0+$/, "")} %`;
}

export function budget(value: number | null): string {
  return value === null ? "—" : `${(value * 100).toFixed(1)} %`;
}

export function describeSlo(slo: Pick<SloView, "sli" | "thresholdMs" | "objective" | "window">): string {
  const what = slo.sli === "latency" ? `requests within ${slo.thresholdMs} ms` : "requests succeed";
  return `${percent(slo.objective)} of ${what} over ${slo.window}`;
}

/** The current month as YYYY-MM (UTC), and the eleven before it. */
export function recentMonths(now = new Date()): string[] {
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  });
}

/** A CSV file download, built in the browser from rows already on the page. */
export function downloadCsv(filename: string, header: string[], rows: (string | number | boolean | null)[][]) {
  const escape = (v: string | number | boolean | null) => {
    const s = v === null ? "" : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const csv = [header, ...rows].map((row) => row.map(escape).join(",")).join("\n") + "\n";
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}
