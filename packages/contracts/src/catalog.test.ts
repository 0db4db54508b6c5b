import { describe, expect, it } from "vitest";
import { ContainerImage, CpuQuantity, MemoryQuantity, Semver, compareSemver } from "./catalog";

describe("catalog contracts", () => {
  it("accepts pinned image references and refuses the rest", () => {
    for (const image of ["ghcr.io/wharf-demo/storefront:1.4.2", "nginx:1.27", "localhost:5000/team/app:v2", `redis@sha256:${"a".repeat(64)}`]) {
      expect(ContainerImage.safeParse(image).success, image).toBe(true);
    }
    for (const image of ["nginx", "nginx:latest", "Ghcr.io/UPPER/Case:1", "ghcr.io/a b:1", "a:" + "x".repeat(300)]) {
      expect(ContainerImage.safeParse(image).success, image).toBe(false);
    }
  });

  it("orders semantic versions, pre-releases before their release", () => {
    expect(["1.10.0", "1.0.0", "1.0.0-rc.2", "1.0.0-rc.10", "0.9.9", "1.2.0+build.5"].sort(compareSemver)).toEqual([
      "0.9.9",
      "1.0.0-rc.2",
      "1.0.0-rc.10",
      "1.0.0",
      "1.2.0+build.5",
      "1.10.0",
    ]);
    expect(Semver.safeParse("1.0").success).toBe(false);
    expect(Semver.safeParse("01.0.0").success).toBe(false);
  });

  it("reads Kubernetes quantities", () => {
    expect(["100m", "0.5", "2"].every((q) => CpuQuantity.safeParse(q).success)).toBe(true);
    expect(["0", "0m", "1 core", "-1"].some((q) => CpuQuantity.safeParse(q).success)).toBe(false);
    expect(["128Mi", "1Gi", "512M"].every((q) => MemoryQuantity.safeParse(q).success)).toBe(true);
    expect(MemoryQuantity.safeParse("lots").success).toBe(false);
  });
});
