export { BUILT_IN_TYPES, MANUAL_ATTRIBUTES_SCHEMA } from "./built-in-types";
export { RELATION_KINDS, relationFrom } from "./relation-kinds";
export type { CmdbViewer } from "./cmdb-scope";
export { ensureBuiltInTypes, installBuiltInTypes, listCiTypes, createCiType, updateCiType } from "./manage-types";
export { createConfigItem, createPlatformConfigItem, updateConfigItem, retireConfigItem } from "./manage-items";
export { addCiRelation, removeCiRelation } from "./manage-relations";
export { listConfigItems, getConfigItem, getItemHistory, getItemAt, listCmdbChanges } from "./read-cmdb";
export { analyzeImpact } from "./analyze-impact";
export { discoverTraffic, sweepCmdb, trafficDiscoveryIntervalMs } from "./discover-traffic";
