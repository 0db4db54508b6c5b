import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { assertPublicUrl, isPrivateAddress, signWebhook } from "./deliver-notifications";

describe("webhook targets", () => {
  it("knows loopback, private, link-local, CGNAT and unique-local addresses", () => {
    for (const a of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1"]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ["8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"]) expect(isPrivateAddress(a), a).toBe(false);
  });

  it("refuses localhost and private literals unless private targets are allowed", async () => {
    await expect(assertPublicUrl(new URL("http://localhost:8080/x"), false)).rejects.toThrow(/localhost/);
    await expect(assertPublicUrl(new URL("http://169.254.169.254/latest/meta-data"), false)).rejects.toThrow(/private address/);
    await expect(assertPublicUrl(new URL("http://[::1]:9000/"), false)).rejects.toThrow(/private address/);
    await expect(assertPublicUrl(new URL("https://93.184.216.34/hook"), false)).resolves.toBeUndefined();
    await expect(assertPublicUrl(new URL("http://127.0.0.1/x"), true)).resolves.toBeUndefined();
  });
});

describe("signWebhook", () => {
  it("is HMAC-SHA256 over timestamp.body, hex, prefixed like GitHub's", () => {
    const expected = createHmac("sha256", "s3cret").update("1700000000.{\"a\":1}").digest("hex");
    expect(signWebhook("s3cret", "1700000000", '{"a":1}')).toBe(`sha256=${expected}`);
  });
});
