import type { ReactNode } from "react";
import type { CiChangeView } from "@wharf/contracts";
import { Badge, Cell, DataTable } from "@wharf/ui";

const SOURCE_TONES = { CLUSTER: "blue", TELEMETRY: "amber", WHARF: "green", MANUAL: "neutral" } as const;

/** Where an item or relation comes from: a discoverer, or a person. */
export function SourceBadge({ source }: { source: keyof typeof SOURCE_TONES }) {
  return <Badge tone={SOURCE_TONES[source]}>{source.toLowerCase()}</Badge>;
}

const show = (value: unknown) => (value === undefined || value === null ? "—" : typeof value === "string" ? value : JSON.stringify(value));

/** A change's fields as "field: before → after" lines. */
export function ChangedFields({ fields }: { fields: CiChangeView["fields"] }) {
  const entries = Object.entries((fields ?? {}) as Record<string, { before?: unknown; after?: unknown }>);
  if (entries.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <ul className="space-y-0.5 text-xs">
      {entries.map(([name, { before, after }]) => (
        <li key={name}>
          <code>{name}</code>: <span className="text-slate-500 line-through">{show(before)}</span> → <span>{show(after)}</span>
        </li>
      ))}
    </ul>
  );
}

/** Changes as a table: an item's history, or (with `item` for the item column) the change feed. */
export function ChangesTable({ changes, caption, rowTestId, item }: { changes: CiChangeView[]; caption: string; rowTestId: string; item?: (change: CiChangeView) => ReactNode }) {
  return (
    <DataTable head={["When", ...(item ? ["Item"] : []), "Change", "By", "Fields"]} caption={caption}>
      {changes.map((c) => (
        <tr key={c.id} data-testid={rowTestId}>
          <Cell>
            <time dateTime={c.at.toISOString()}>{c.at.toLocaleString()}</time>
          </Cell>
          {item ? <Cell>{item(c)}</Cell> : null}
          <Cell>
            <code>{c.action}</code>
          </Cell>
          <Cell>
            {c.actor} <SourceBadge source={c.source} />
          </Cell>
          <Cell className="whitespace-normal">
            <ChangedFields fields={c.fields} />
          </Cell>
        </tr>
      ))}
    </DataTable>
  );
}
