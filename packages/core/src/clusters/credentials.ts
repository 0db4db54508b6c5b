import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env } from "../env";

// Cluster credentials (the kubeconfig) are encrypted at rest with AES-256-GCM.
// Format: `v1.<iv>.<tag>.<ciphertext>`, base64url parts; the version leaves
// room to rotate keys later.

function key(): Buffer {
  if (!env.WHARF_ENCRYPTION_KEY) throw new Error("WHARF_ENCRYPTION_KEY is not set: it is needed to store cluster credentials");
  return Buffer.from(env.WHARF_ENCRYPTION_KEY, "base64");
}

export function encryptCredentials(plain: string, encryptionKey = key()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey, iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export function decryptCredentials(sealed: string, encryptionKey = key()): string {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !data) throw new Error("Unreadable cluster credentials");
  const decipher = createDecipheriv("aes-256-gcm", encryptionKey, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
