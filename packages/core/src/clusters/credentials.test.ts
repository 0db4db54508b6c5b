import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptCredentials, encryptCredentials } from "./credentials";

describe("cluster credentials at rest", () => {
  const key = randomBytes(32);

  it("round-trips and never contains the plain text", () => {
    const kubeconfig = "users:\n- name: admin\n  user:\n    token: very-secret-token\n";
    const sealed = encryptCredentials(kubeconfig, key);
    expect(sealed).not.toContain("very-secret-token");
    expect(sealed.startsWith("v1.")).toBe(true);
    expect(decryptCredentials(sealed, key)).toBe(kubeconfig);
  });

  it("uses a fresh IV each time", () => {
    expect(encryptCredentials("same", key)).not.toBe(encryptCredentials("same", key));
  });

  it("refuses tampered ciphertext and the wrong key", () => {
    const sealed = encryptCredentials("token: abc", key);
    const [v, iv, tag, data] = sealed.split(".");
    const flipped = Buffer.from(data!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    expect(() => decryptCredentials([v, iv, tag, flipped.toString("base64url")].join("."), key)).toThrow();
    expect(() => decryptCredentials(sealed, randomBytes(32))).toThrow();
  });
});
