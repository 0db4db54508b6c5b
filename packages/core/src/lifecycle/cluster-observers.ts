import { withPlatform } from "@wharf/db";
import { clustersRepository } from "../clusters/clusters-repository";

/** The registered clusters with what the worker needs to connect to each. */
export function listClusterConnections() {
  return withPlatform("worker lists clusters", (tx) => clustersRepository.listConnections(tx));
}
