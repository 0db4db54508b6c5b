// Seeds a benchmark database with 30 days (or `days`) of one-minute service rollups and their
// hourly rows, with generate_series in SQL: tenants, services with one SLO each, then the
// minute rows in chunks of 50 services, the rollup indexes dropped during the load. Shared by
// bench/telemetry/dashboards.ts and bench/sla/run.ts.
import { performance } from "node:perf_hooks";
import pg from "pg";
import { log } from "../lib/process";

const MINUTE_MS = 60_000;
const CHUNK = 50;

export async function seedRollups(url: string, nowMs: number, { services, tenants, days }: { services: number; tenants: number; days: number }): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  const to = new Date(Math.floor(nowMs / MINUTE_MS) * MINUTE_MS);
  const from = new Date(to.getTime() - days * 24 * 60 * MINUTE_MS);
  try {
    await client.query(
      `INSERT INTO organizations (id, slug, name, updated_at)
       SELECT 'org_bench' || lpad(i::text, 12, '0'), 'bench-' || i, 'Bench tenant ' || i, now() FROM generate_series(1, $1) i`,
      [tenants],
    );
    // Service i belongs to tenant i % tenants; even services have an availability SLO, odd ones a latency SLO.
    await client.query(
      `INSERT INTO services (id, org_id, namespace, name)
       SELECT 'svc_bench' || lpad(i::text, 12, '0'), 'org_bench' || lpad((1 + i % $2)::text, 12, '0'), 'ns-' || (i % $2), 'service-' || i
         FROM generate_series(1, $1) i`,
      [services, tenants],
    );
    await client.query(
      `INSERT INTO slos (id, org_id, service_id, name, sli, threshold_ms, objective, "window", is_default, updated_at)
       SELECT 'slo_bench' || substr(s.id, 10), s.org_id, s.id,
              CASE WHEN i % 2 = 0 THEN 'availability' ELSE 'latency' END,
              CASE WHEN i % 2 = 0 THEN 'availability' ELSE 'latency' END,
              CASE WHEN i % 2 = 0 THEN NULL ELSE 500 END,
              CASE WHEN i % 2 = 0 THEN 0.999 ELSE 0.99 END, '28d', true, now()
         FROM (SELECT id, org_id, row_number() OVER (ORDER BY id) AS i FROM services) s`,
    );
    log(`seeded ${tenants} tenants, ${services} services and SLOs`);

    // Bulk load without the rollup indexes, then build them once.
    await client.query(`ALTER TABLE service_rollups DROP CONSTRAINT service_rollups_pkey`);
    await client.query(`DROP INDEX service_rollups_org_id_minute_idx, service_rollups_minute_idx`);
    const ids = (await client.query<{ id: string }>(`SELECT id FROM services ORDER BY id`)).rows.map((r) => r.id);
    for (let start = 0; start < ids.length; start += CHUNK) {
      const chunk = ids.slice(start, start + CHUNK);
      // 200-1,000 requests a minute; errors ~0.075 % with an incident (5 %) in 0.2 % of minutes;
      // latency mostly fast with a slow tail. The buckets add up to the requests.
      await client.query(
        `INSERT INTO service_rollups (org_id, service_id, minute, requests, errors, latency_sum_ms, latency_buckets)
         SELECT org_id, id, minute, requests, errors, requests * 60.0,
                ARRAY[f1, f2, f3, f4, f5, f6, f7, requests - f1 - f2 - f3 - f4 - f5 - f6 - f7 - slow, slow, 0, 0, 0]
           FROM (SELECT s.org_id, s.id, m.minute, x.requests,
                        CASE WHEN random() < 0.002 THEN (x.requests * 0.05)::int ELSE floor(random() * x.requests * 0.0015)::int END AS errors,
                        (x.requests * 0.30)::int AS f1, (x.requests * 0.25)::int AS f2, (x.requests * 0.15)::int AS f3, (x.requests * 0.10)::int AS f4,
                        (x.requests * 0.08)::int AS f5, (x.requests * 0.05)::int AS f6, (x.requests * 0.03)::int AS f7,
                        floor(random() * x.requests * 0.02)::int AS slow
                   FROM services s
                  CROSS JOIN generate_series($2::timestamp, $3::timestamp - interval '1 minute', interval '1 minute') AS m(minute)
                  CROSS JOIN LATERAL (SELECT (200 + random() * 800 + 0 * extract(epoch FROM m.minute))::int AS requests) x
                  WHERE s.id = ANY($1::text[])) g`,
        [chunk, from.toISOString(), to.toISOString()],
      );
      const seconds = (performance.now() - started) / 1000;
      log(`minute rollups: ${Math.min(start + CHUNK, ids.length)}/${ids.length} services (${seconds.toFixed(0)} s)`);
    }
    log("building the minute rollup indexes");
    await client.query(`ALTER TABLE service_rollups ADD CONSTRAINT service_rollups_pkey PRIMARY KEY (service_id, minute)`);
    await client.query(`CREATE INDEX service_rollups_org_id_minute_idx ON service_rollups (org_id, minute)`);
    await client.query(`CREATE INDEX service_rollups_minute_idx ON service_rollups (minute)`);
    log(`hourly rollups from the minute rows (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    const buckets = Array.from({ length: 12 }, (_, i) => `sum(latency_buckets[${i + 1}])::int`).join(", ");
    await client.query(
      `INSERT INTO service_rollups_hourly (org_id, service_id, hour, requests, errors, latency_sum_ms, latency_buckets)
       SELECT org_id, service_id, date_trunc('hour', minute), sum(requests), sum(errors), sum(latency_sum_ms), ARRAY[${buckets}]
         FROM service_rollups GROUP BY org_id, service_id, date_trunc('hour', minute)`,
    );
    await client.query(`VACUUM ANALYZE service_rollups`);
    await client.query(`VACUUM ANALYZE service_rollups_hourly`);
    await client.query(`ANALYZE`);
    const counts = await client.query<{ minutes: string; hours: string; size: string }>(
      `SELECT (SELECT count(*) FROM service_rollups) AS minutes, (SELECT count(*) FROM service_rollups_hourly) AS hours,
              pg_size_pretty(pg_database_size(current_database())) AS size`,
    );
    const c = counts.rows[0]!;
    log(`seeded ${Number(c.minutes).toLocaleString("en")} minute and ${Number(c.hours).toLocaleString("en")} hourly rows (${c.size}) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await client.end();
  }
}

