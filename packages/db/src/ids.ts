import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Base62 of `bytes` random bytes. */
export function randomBase62(bytes: number): string {
  let n = BigInt("0x" + randomBytes(bytes).toString("hex"));
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(Math.ceil((bytes * 8) / Math.log2(62)), "0");
}

export type IdPrefix = "usr" | "acc" | "ses" | "org" | "mem" | "inv" | "aud" | "sif" | "clu" | "spc" | "op" | "cat" | "cv" | "app" | "rev" | "pap" | "key" | "svc" | "slo" | "alr" | "flt" | "cit" | "ci" | "cir" | "cic" | "inc" | "ina" | "ine" | "whk" | "whd" | "asd" | "rel";

/** What createId makes, loosely: a short lowercase prefix, `_`, base62. */
export const PREFIXED_ID = /^[a-z]{1,8}_[0-9A-Za-z]{1,64}$/;

/** Prefixed ids make logs and support tickets readable: `org_3kTq…`. 96 random bits. */
export function createId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase62(12)}`;
}
