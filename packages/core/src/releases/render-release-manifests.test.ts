import { describe, expect, it } from "vitest";
import { splitReplicas } from "./render-release-manifests";

describe("splitReplicas", () => {
  it("splits the app's replicas by the weight in replica mode, keeping one of each until the canary has everything", () => {
    expect(splitReplicas(4, 25, "replicas")).toEqual({ stable: 3, canary: 1 });
    expect(splitReplicas(4, 50, "replicas")).toEqual({ stable: 2, canary: 2 });
    expect(splitReplicas(4, 10, "replicas")).toEqual({ stable: 3, canary: 1 }); // ceil(0.4) = 1
    expect(splitReplicas(4, 90, "replicas")).toEqual({ stable: 1, canary: 3 }); // ceil(3.6) = 4, but stable keeps one
    expect(splitReplicas(1, 50, "replicas")).toEqual({ stable: 1, canary: 1 });
    expect(splitReplicas(4, 100, "replicas")).toEqual({ stable: 0, canary: 4 });
  });

  it("keeps stable whole in gateway mode and gives the canary its share of pods", () => {
    expect(splitReplicas(4, 10, "gateway")).toEqual({ stable: 4, canary: 1 });
    expect(splitReplicas(4, 50, "gateway")).toEqual({ stable: 4, canary: 2 });
    expect(splitReplicas(4, 100, "gateway")).toEqual({ stable: 4, canary: 4 });
  });
});
