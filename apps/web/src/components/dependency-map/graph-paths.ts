// Who a selected service depends on (downstream: what it calls, and what those call) and who
// depends on it (upstream), following calls transitively. Services are node indexes.

export interface Call {
  caller: number;
  callee: number;
}

function follow(start: number, next: Map<number, number[]>): Set<number> {
  const seen = new Set<number>();
  const stack = [start];
  while (stack.length > 0) {
    for (const other of next.get(stack.pop()!) ?? []) {
      if (other === start || seen.has(other)) continue;
      seen.add(other);
      stack.push(other);
    }
  }
  return seen;
}

export function upstreamAndDownstream(calls: readonly Call[], service: number): { upstream: Set<number>; downstream: Set<number> } {
  const callees = new Map<number, number[]>();
  const callers = new Map<number, number[]>();
  for (const { caller, callee } of calls) {
    (callees.get(caller) ?? callees.set(caller, []).get(caller)!).push(callee);
    (callers.get(callee) ?? callers.set(callee, []).get(callee)!).push(caller);
  }
  return { upstream: follow(service, callers), downstream: follow(service, callees) };
}
