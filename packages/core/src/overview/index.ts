export { getOperatorOverview } from "./get-operator-overview";
