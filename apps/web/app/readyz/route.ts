// /readyz: an alias of /api/health/ready, kept for probes and scripts written before it.
export { GET, dynamic } from "../api/health/ready/route";
