/**
 * The one graph walk behind the service map's neighbourhood, CMDB impact
 * analysis and incident grouping: breadth-first from `start` up to `depth`
 * hops, so every node gets its shortest distance and cycles are harmless.
 * `expand` gives the neighbours of a whole frontier at once, so a graph kept in
 * Postgres costs one query per hop rather than one per node.
 */
export async function reachable(
  start: readonly string[],
  depth: number,
  expand: (frontier: string[]) => Iterable<string> | Promise<Iterable<string>>,
): Promise<Map<string, number>> {
  const distance = new Map(start.map((id) => [id, 0]));
  let frontier = [...distance.keys()];
  for (let hop = 1; hop <= depth && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const id of await expand(frontier)) {
      if (distance.has(id)) continue;
      distance.set(id, hop);
      next.push(id);
    }
    frontier = next;
  }
  return distance;
}

export type Direction = "out" | "in" | "both";

/** `expand` for a graph held in memory as edges: follow them forwards, backwards or both ways. */
export function adjacency(edges: Iterable<{ from: string; to: string }>, direction: Direction): (frontier: string[]) => string[] {
  const next = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    const list = next.get(a);
    if (list) list.push(b);
    else next.set(a, [b]);
  };
  for (const { from, to } of edges) {
    if (direction !== "in") link(from, to);
    if (direction !== "out") link(to, from);
  }
  return (frontier) => frontier.flatMap((id) => next.get(id) ?? []);
}
