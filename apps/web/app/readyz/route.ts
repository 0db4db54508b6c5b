// /readyz: an alias of /api/health/ready, kept for probes and scripts written before it.
export { GET } from "../api/health/ready/route";

// Next reads this field from the route file itself: it cannot be re-exported.
export const dynamic = "force-dynamic";
