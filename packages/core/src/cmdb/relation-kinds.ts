/**
 * The relation kinds, each read from -> to, with the name it has read the
 * other way. `acyclic` kinds refuse a link that would close a loop (a thing
 * cannot run on something that runs on it); `calls` may loop, as traffic does.
 * `impact` says whether trouble at `to` reaches `from`: it is what impact
 * analysis follows. `identity` kinds join the faces of one thing (an app, its
 * Deployment, its Service, its telemetry service): impact crosses them both ways.
 */
export const RELATION_KINDS = {
  "depends-on": { inverse: "used-by", acyclic: true, impact: true, identity: false },
  "runs-on": { inverse: "hosts", acyclic: true, impact: true, identity: false },
  "member-of": { inverse: "contains", acyclic: true, impact: true, identity: false },
  calls: { inverse: "called-by", acyclic: false, impact: true, identity: false },
  "runs-as": { inverse: "runs", acyclic: true, impact: true, identity: true },
  exposes: { inverse: "exposed-by", acyclic: true, impact: true, identity: true },
  "reports-as": { inverse: "reported-by", acyclic: true, impact: true, identity: true },
  "instance-of": { inverse: "has-instance", acyclic: true, impact: false, identity: false },
  "owned-by": { inverse: "owns", acyclic: true, impact: false, identity: false },
} as const;

export type RelationKind = keyof typeof RELATION_KINDS;

export const RELATION_KIND_NAMES = Object.keys(RELATION_KINDS) as RelationKind[];

export function isRelationKind(kind: string): kind is RelationKind {
  return Object.hasOwn(RELATION_KINDS, kind);
}

/** How a relation reads from one of its ends: `app runs-on space` seen from the space is `hosts app`. */
export function relationFrom(
  relation: { fromId: string; toId: string; kind: string },
  itemId: string,
): { direction: "outgoing" | "incoming"; name: string; otherId: string } {
  if (relation.fromId === itemId) return { direction: "outgoing", name: relation.kind, otherId: relation.toId };
  const kind = isRelationKind(relation.kind) ? RELATION_KINDS[relation.kind] : null;
  return { direction: "incoming", name: kind?.inverse ?? `${relation.kind} (inverse)`, otherId: relation.fromId };
}

/** Kinds along which trouble travels, and those of them that join one thing's faces. */
export const IMPACT_KINDS = RELATION_KIND_NAMES.filter((kind) => RELATION_KINDS[kind].impact);
export const IDENTITY_KINDS = RELATION_KIND_NAMES.filter((kind) => RELATION_KINDS[kind].identity);
