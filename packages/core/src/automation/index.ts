export { listReleasesInProgress, listAutomaticDecisions } from "./list-automation";
