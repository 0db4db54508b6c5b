import { Cell, DataTable } from "@wharf/ui";

export interface Change {
  field: string;
  before: unknown;
  after: unknown;
}

const show = (v: unknown) => (v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

/** Field by field, what a change would do: shown before it is applied. */
export function diffParams(before: Record<string, unknown>, after: Record<string, unknown>): Change[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return fields.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f])).map((field) => ({ field, before: before[field], after: after[field] }));
}

export function ChangesTable({ changes, caption }: { changes: Change[]; caption: string }) {
  if (changes.length === 0) return <p className="text-sm text-slate-500">No changes.</p>;
  return (
    <DataTable head={["Field", "Now", "After"]} caption={caption}>
      {changes.map((c) => (
        <tr key={c.field} data-testid={`diff-${c.field}`}>
          <Cell>
            <code>{c.field}</code>
          </Cell>
          <Cell className="text-red-700 line-through decoration-red-300">{show(c.before)}</Cell>
          <Cell className="text-emerald-700">{show(c.after)}</Cell>
        </tr>
      ))}
    </DataTable>
  );
}
