import { describe, expect, it } from "vitest";
import { withPlatform } from "@wharf/db";
import { AppError } from "../errors";
import { MAX_FAILURES } from "./sign-in-throttle";
import { signUp } from "./sign-up";
import { verifyCredentials } from "./verify-credentials";

const request = { ip: "198.51.100.1", userAgent: "vitest" };
const uniqueEmail = () => `person-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}@example.test`;

describe("sign-up and sign-in", () => {
  it("signs up, stores only a hash, and signs in", async () => {
    const email = uniqueEmail();
    const user = await signUp({ name: "Ada", email: email.toUpperCase(), password: "a long enough password" }, request);
    expect(user.email).toBe(email);
    const stored = await withPlatform("test", (tx) => tx.user.findUnique({ where: { id: user.id }, select: { passwordHash: true } }));
    expect(stored?.passwordHash).toMatch(/^scrypt\$/);
    expect(stored?.passwordHash).not.toContain("a long enough password");
    // Hashes are omitted unless asked for by name.
    const plain = await withPlatform("test", (tx) => tx.user.findUnique({ where: { id: user.id } }));
    expect(plain).not.toHaveProperty("passwordHash");
    await expect(verifyCredentials({ email, password: "a long enough password" }, "198.51.100.1")).resolves.toMatchObject({ id: user.id });
  });

  it("refuses short passwords and duplicate emails", async () => {
    const email = uniqueEmail();
    await expect(signUp({ name: "Bo", email, password: "short" }, request)).rejects.toThrow(/at least 12/);
    await signUp({ name: "Bo", email, password: "a long enough password" }, request);
    await expect(signUp({ name: "Bo", email, password: "another long password" }, request)).rejects.toMatchObject({ code: "EMAIL_TAKEN" });
  });

  it("gives the same answer for an unknown email and a wrong password", async () => {
    const email = uniqueEmail();
    await signUp({ name: "Cy", email, password: "a long enough password" }, request);
    const wrong = await verifyCredentials({ email, password: "not the password" }, "198.51.100.2").catch((e: AppError) => e.message);
    const unknown = await verifyCredentials({ email: uniqueEmail(), password: "not the password" }, "198.51.100.2").catch((e: AppError) => e.message);
    expect(wrong).toBe(unknown);
  });

  it(`throttles an account after ${MAX_FAILURES} failures, even with the right password`, async () => {
    const email = uniqueEmail();
    await signUp({ name: "Di", email, password: "a long enough password" }, request);
    for (let i = 0; i < MAX_FAILURES; i++) {
      await expect(verifyCredentials({ email, password: `wrong ${i}` }, `192.0.2.${i}`)).rejects.toMatchObject({ code: "INVALID_CREDENTIALS" });
    }
    const error = await verifyCredentials({ email, password: "a long enough password" }, "192.0.2.200").catch((e: AppError) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("SIGN_IN_THROTTLED");
    expect((error as AppError).details.retryAfterSeconds).toBeGreaterThan(14 * 60);
  });

  it(`throttles an IP after ${MAX_FAILURES} failures across accounts`, async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 200)}-${Date.now()}`;
    for (let i = 0; i < MAX_FAILURES; i++) {
      await verifyCredentials({ email: uniqueEmail(), password: "wrong password" }, ip).catch(() => undefined);
    }
    await expect(verifyCredentials({ email: uniqueEmail(), password: "wrong password" }, ip)).rejects.toMatchObject({ code: "SIGN_IN_THROTTLED" });
  });
});

