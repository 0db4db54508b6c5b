export { adjacency, reachable, type Direction } from "./reachable";
