// Finds Wharf API keys in files, for CI and pre-commit hooks:
//   pnpm scan-keys <files or directories…>
// Checks each key's checksum offline and prints where it is, its kind and its
// prefix, never the key. Exits 1 when a key with a valid checksum was found
// (a real key has leaked: revoke it), 2 on a usage error, 0 otherwise.
import fs from "node:fs";
import path from "node:path";
// The scanner alone, not all of core: a CI step should start in a second.
import { scanForApiKeys } from "@wharf/core/keys/scan";

const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git"]);
/** Like git, a file with a NUL byte near its start is binary. */
const BINARY_SNIFF_BYTES = 8000;

function* filesUnder(target: string): Generator<string> {
  const stat = fs.lstatSync(target);
  if (stat.isFile()) {
    yield target;
  } else if (stat.isDirectory()) {
    for (const entry of fs.readdirSync(target, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory() && SKIPPED_DIRECTORIES.has(entry.name)) continue;
      // Symbolic links are skipped: they could loop, and what they point to is scanned where it lives.
      if (entry.isDirectory() || entry.isFile()) yield* filesUnder(path.join(target, entry.name));
    }
  }
}

function main(targets: string[]): number {
  if (targets.length === 0) {
    console.error("Usage: pnpm scan-keys <files or directories…>");
    return 2;
  }
  const missing = targets.filter((target) => !fs.existsSync(target));
  if (missing.length > 0) {
    console.error(`scan-keys: no such file or directory: ${missing.join(", ")}`);
    return 2;
  }
  let valid = 0;
  let invalid = 0;
  for (const target of targets) {
    for (const file of filesUnder(target)) {
      const content = fs.readFileSync(file);
      if (content.subarray(0, BINARY_SNIFF_BYTES).includes(0)) continue;
      for (const finding of scanForApiKeys(content.toString("utf8"))) {
        const verdict = finding.validChecksum ? "valid checksum" : "invalid checksum (not a Wharf key or mistyped)";
        console.log(`${file}:${finding.line}:${finding.column}: ${finding.kind.toLowerCase()} key ${finding.prefix}… ${verdict}`);
        if (finding.validChecksum) valid++;
        else invalid++;
      }
    }
  }
  if (valid > 0) {
    console.log(`scan-keys: ${valid} Wharf API key(s) found. Revoke them in Wharf (API keys page) and remove them from these files.`);
    return 1;
  }
  console.log(invalid > 0 ? `scan-keys: no valid Wharf API key; ${invalid} look-alike(s) with an invalid checksum.` : "scan-keys: no Wharf API key found.");
  return 0;
}

process.exitCode = main(process.argv.slice(2));
