/** A change and the services it touched (an app's service, every service of a space or cluster). */
export interface ChangeOnServices {
  at: Date;
  serviceIds: readonly string[];
}

/**
 * "What changed?": the changes on services within reach of the failing ones,
 * each at its nearest service's distance, nearest first and then latest first.
 * A change that touched nothing within reach is not a suspect.
 */
export function rankChanges<T extends ChangeOnServices>(changes: readonly T[], distances: ReadonlyMap<string, number>): Array<T & { distance: number }> {
  const ranked: Array<T & { distance: number }> = [];
  for (const change of changes) {
    let distance = Number.POSITIVE_INFINITY;
    for (const id of change.serviceIds) distance = Math.min(distance, distances.get(id) ?? Number.POSITIVE_INFINITY);
    if (Number.isFinite(distance)) ranked.push({ ...change, distance });
  }
  return ranked.sort((a, b) => a.distance - b.distance || b.at.getTime() - a.at.getTime());
}
