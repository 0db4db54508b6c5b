import type { ReactElement } from "react";
import { ResponsiveContainer } from "recharts";
import { Card } from "@wharf/ui";

/** A recharts chart in a card, named for screen readers by its title. */
export function ChartCard({ title, description, children }: { title: string; description: string; children: ReactElement }) {
  return (
    <Card>
      <figure role="img" aria-label={title}>
        <figcaption>
          <h3 className="font-medium">{title}</h3>
          <p className="text-xs text-slate-600">{description}</p>
        </figcaption>
        <div className="mt-3 h-56">
          <ResponsiveContainer width="100%" height="100%">
            {children}
          </ResponsiveContainer>
        </div>
      </figure>
    </Card>
  );
}

/** An axis or tooltip label for a point in time: the time of day, or the day and hour for hourly points. */
export function timeLabel(hourly: boolean, ms: number): string {
  const d = new Date(ms);
  return hourly
    ? d.toLocaleDateString(undefined, { month: "short", day: "numeric", hour: "2-digit" })
    : d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}
