export { createSpace, listSpaces, deleteSpace, changeSpacePlan, listAllSpaces, listPlacementClusters } from "./manage-spaces";
export { renderSpaceManifests, namespaceFor, LABELS, MANAGED_SELECTOR } from "./render-space-manifests";
