// bench/kube-sim: the benchmark lives with the package; this entry point runs it from the root.
//   npx tsx bench/kube-sim/run.ts [--namespaces 1000]
import "../../packages/kube-sim/bench/run.ts";
