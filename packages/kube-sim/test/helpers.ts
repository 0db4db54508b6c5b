// Shared test helpers: a started cluster, an https client, kubectl runners and condition waits.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readlinkSync, writeFileSync, readdirSync, realpathSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { childEnv, searchPath } from "../src/env.js";
import { type Cluster } from "../src/index.js";

/** Polls `fn` until it returns a truthy value or the deadline passes. */
export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 20_000, intervalMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body's bytes (protobuf answers). */
  raw: Buffer;
  json: () => Record<string, unknown>;
}

export function http(cluster: Cluster, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}, auth = true): Promise<HttpResult> {
  const url = new URL(path, cluster.url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: cluster.caCertPem,
        headers: { ...(auth ? { Authorization: `Bearer ${cluster.token}` } : {}), ...(body !== undefined ? { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)) } : {}), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const raw = Buffer.concat(chunks);
          const text = raw.toString("utf8");
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, raw, json: () => JSON.parse(text) as Record<string, unknown> });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Directory holding kubectl.1.27 ... kubectl.1.33. */
export function kubectlDir(): string | undefined {
  for (const dir of searchPath()) {
    try {
      const p = join(dir, "kubectl");
      return dirname(realpathSync(p));
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Every versioned kubectl binary installed, newest first, e.g. ["1.33", ..., "1.27"]. */
export function kubectlVersions(): string[] {
  const dir = kubectlDir();
  if (!dir) return [];
  return readdirSync(dir)
    .map((f) => f.match(/^kubectl\.(1\.\d+)$/)?.[1])
    .filter((v): v is string => !!v)
    .sort((a, b) => Number(b.split(".")[1]) - Number(a.split(".")[1]));
}

export class Kubectl {
  readonly bin: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly children = new Set<ChildProcess>();

  constructor(version: string, cluster: Cluster) {
    const dir = kubectlDir() ?? "/usr/bin";
    this.bin = join(dir, `kubectl.${version}`);
    void readlinkSync;
    const home = mkdtempSync(join(tmpdir(), "kube-sim-kubectl-"));
    const kc = join(home, "kubeconfig");
    writeFileSync(kc, cluster.kubeconfig);
    this.env = childEnv({ KUBECONFIG: kc, HOME: home, KUBECACHEDIR: join(home, "cache") });
  }

  /** Runs kubectl; resolves with stdout/stderr and the exit code (never rejects on exit code). */
  run(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = execFile(this.bin, args, { env: this.env, timeout: 60_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code) : 1) : 0;
        resolve({ code, stdout, stderr });
      });
      if (stdin !== undefined) child.stdin?.end(stdin);
    });
  }

  /** Runs kubectl and fails the test on a non-zero exit. */
  async ok(args: string[], stdin?: string): Promise<string> {
    const r = await this.run(args, stdin);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  /** Starts a long-running kubectl (get -w, logs -f) and collects its output. */
  stream(args: string[]): { output: () => string; stop: () => void } {
    const child = spawn(this.bin, args, { env: this.env });
    this.children.add(child);
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    return {
      output: () => out,
      stop: () => {
        child.kill("SIGTERM");
        this.children.delete(child);
      },
    };
  }

  stopAll() {
    for (const c of this.children) c.kill("SIGTERM");
    this.children.clear();
  }
}

export const deploymentYaml = (ns: string, name: string, image: string, replicas: number, extra = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels: {app: ${name}}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}${extra}
    spec:
      containers:
      - name: ${name}
        image: ${image}
        ports:
        - containerPort: 80
`;
