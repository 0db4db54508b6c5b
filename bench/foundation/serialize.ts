// superjson.serialize against packages/api's serializeOutput (the tRPC output transformer) on the
// pages bench/foundation serves: 50 tenants (TenantPage) and 50 audit events (AuditEventPage),
// shaped like bench/foundation/seed.ts's rows and passed through the contracts' zod schemas as
// the procedures' output validation does. Checks the bytes are identical, then times both in
// alternating rounds, each alone and followed by the JSON.stringify the response pays anyway.
//
//   pnpm exec tsx bench/foundation/serialize.ts [--rounds=7] [--iterations=2000]
// @wharf/api's own copy, the one its serializer falls back to (the bench does not depend on superjson).
import superjson from "../../packages/api/node_modules/superjson";
import { AuditEventPage, TenantPage } from "../../packages/contracts/src/index";
import { serializeOutput } from "../../packages/api/src/output-serializer";
import { flag } from "../lib/process";

const rounds = flag("rounds", 7);
const iterations = flag("iterations", 2000);
const PAGE = 50;
const createdAt = (i: number) => new Date(Date.UTC(2026, 10, 1) + i * 3_600_000);

const tenants = TenantPage.parse({
  items: Array.from({ length: PAGE }, (_, i) => ({
    id: `org_${String(i).padStart(17, "0")}`,
    slug: `tenant-${i}`,
    name: `Tenant ${i}`,
    kind: i % 10 === 0 ? "PARTNER" : "TENANT",
    status: i % 25 === 0 ? "SUSPENDED" : "ACTIVE",
    suspendedReason: i % 25 === 0 ? "Unpaid invoices" : null,
    memberCount: 1 + (i % 15),
    createdAt: createdAt(i),
  })),
  nextCursor: "org_00000000000000050",
});

const audit = AuditEventPage.parse({
  items: Array.from({ length: PAGE }, (_, i) => ({
    id: `aud_${String(i).padStart(17, "0")}`,
    orgId: "org_acme0000000000000",
    actorId: `usr_${String(i % 300).padStart(17, "0")}`,
    actorEmail: `user${i % 300}@bench.example`,
    action: "members.change_role",
    targetType: "membership",
    targetId: `mem_${String(i).padStart(17, "0")}`,
    before: { role: "VIEWER" },
    after: { email: `user${i % 300}@bench.example`, role: "ADMIN", orgId: "org_acme0000000000000" },
    ip: "203.0.113.7",
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    createdAt: createdAt(i),
  })),
  nextCursor: "aud_00000000000000050",
});

/** Microseconds per call of `run`, over `iterations` calls. */
function time(run: () => unknown): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += run() ? 1 : 0;
  const us = Number(process.hrtime.bigint() - start) / 1000 / iterations;
  if (sink !== iterations) throw new Error("a serializer returned nothing");
  return us;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`serialize a page of ${PAGE}: median of ${rounds} alternating rounds of ${iterations} calls, µs per call (Node ${process.version})`);
console.log("");
console.log("| page | body bytes | superjson.serialize | serializeOutput | ratio | + JSON.stringify: superjson | serializeOutput | ratio |");
console.log("|---|--:|--:|--:|--:|--:|--:|--:|");
for (const [name, value] of [
  ["tenants.list (TenantPage)", tenants],
  ["audit.list (AuditEventPage)", audit],
] as const) {
  const theirs = JSON.stringify(superjson.serialize(value));
  const ours = JSON.stringify(serializeOutput(value));
  if (ours !== theirs) throw new Error(`${name}: serializeOutput's bytes differ from superjson's`);
  const runs = { sj: [] as number[], ours: [] as number[], sjText: [] as number[], oursText: [] as number[] };
  time(() => superjson.serialize(value));
  time(() => serializeOutput(value));
  for (let r = 0; r < rounds; r++) {
    runs.sj.push(time(() => superjson.serialize(value)));
    runs.ours.push(time(() => serializeOutput(value)));
    runs.sjText.push(time(() => JSON.stringify(superjson.serialize(value))));
    runs.oursText.push(time(() => JSON.stringify(serializeOutput(value))));
  }
  const [sj, us, sjText, usText] = [runs.sj, runs.ours, runs.sjText, runs.oursText].map(median) as [number, number, number, number];
  console.log(
    `| ${name} | ${theirs.length} | ${sj.toFixed(1)} | ${us.toFixed(1)} | ${(us / sj).toFixed(2)} | ${sjText.toFixed(1)} | ${usText.toFixed(1)} | ${(usText / sjText).toFixed(2)} |`,
  );
}
