// The wharf-kube-sim CLI: kubeconfig with one context per cluster, ready lines, clean SIGTERM.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { waitFor } from "./helpers.js";

describe("cli", () => {
  it("starts two clusters, writes their contexts and exits on SIGTERM", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "kube-sim-cli-")), "kubeconfig");
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "--kubeconfig", file, "--clusters", "2", "--pod-start-ms", "0"], { cwd: join(import.meta.dirname, "..") });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await waitFor(() => out.split("\n").filter((l) => l.startsWith("ready ")).length === 2, `two ready lines (got: ${out})`, 30_000);
    expect(out).toMatch(/^ready sim-1 https:\/\/127\.0\.0\.1:\d+$/m);
    expect(out).toMatch(/^ready sim-2 https:\/\/127\.0\.0\.1:\d+$/m);
    const kc = parse(readFileSync(file, "utf8")) as { contexts: { name: string }[]; clusters: { cluster: Record<string, string> }[] };
    expect(kc.contexts.map((c) => c.name)).toEqual(["sim-1", "sim-2"]);
    expect(kc.clusters[0]?.cluster["certificate-authority-data"]).toBeTruthy();
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
