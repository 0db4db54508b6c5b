// The image `pnpm image` builds, run without Docker: its layers unpacked in order into a folder,
// the entrypoint started in that root filesystem with chroot as user 10001, against a fresh
// database on the integration tests' Postgres. Builds the image first (minutes);
// WHARF_IMAGE_PREBUILT=1 reuses .data/image/wharf-oci.tar from an earlier `pnpm image`.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const archive = path.join(root, ".data/image/wharf-oci.tar");
const chroot = ["/usr/sbin/chroot", "/usr/bin/chroot"].find((p) => existsSync(p));
// Entering a chroot needs root (CAP_SYS_CHROOT); without it there is no way here to run the image.
const skip = !chroot ? "chroot is not installed" : process.getuid?.() !== 0 ? "chroot needs root" : undefined;

interface Descriptor { digest: string; size: number; mediaType: string }
interface ImageConfig {
  architecture: string;
  os: string;
  config: { User: string; Env: string[]; Entrypoint: string[]; Cmd: string[]; ExposedPorts: Record<string, object>; Labels: Record<string, string> };
  rootfs: { diff_ids: string[] };
}

const sha256 = (data: Buffer) => `sha256:${createHash("sha256").update(data).digest("hex")}`;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe.skipIf(skip)(`the OCI image, unpacked and run with chroot${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let tmp: string;
  let rootfs: string;
  let config: ImageConfig;
  let databaseUrl: string;
  let serverUrl: string;
  let databaseName: string;
  let web: ChildProcess | undefined;
  let worker: ChildProcess | undefined;

  /** Runs the image's entrypoint in the unpacked root as its user, with only the image's env and `env`. */
  function run(args: string[], env: Record<string, string>) {
    const imageEnv = Object.fromEntries(config.config.Env.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
    return spawn(chroot!, [`--userspec=${config.config.User}:${config.config.User}`, rootfs, ...config.config.Entrypoint, ...args], {
      env: { ...imageEnv, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  async function runToEnd(args: string[], env: Record<string, string>) {
    const child = run(args, env);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    return { code, stdout, stderr };
  }

  beforeAll(async () => {
    if (process.env.WHARF_IMAGE_PREBUILT !== "1") {
      // Asynchronously: a build that blocked this process for minutes would starve vitest's RPC.
      const build = spawn(process.execPath, [path.join(root, "scripts/image/build.mjs")], { cwd: root, stdio: "inherit" });
      expect(await new Promise((resolve) => build.on("exit", resolve))).toBe(0);
    }
    tmp = mkdtempSync(path.join(os.tmpdir(), "wharf-image-"));
    const layout = path.join(tmp, "layout");
    rootfs = path.join(tmp, "rootfs");
    execFileSync("mkdir", ["-p", layout, rootfs]);
    execFileSync("tar", ["-xf", archive, "-C", layout]);
    const blob = (digest: string) => readFileSync(path.join(layout, "blobs/sha256", digest.replace("sha256:", "")));
    const index = JSON.parse(readFileSync(path.join(layout, "index.json"), "utf8")) as { manifests: Descriptor[] };
    expect(index.manifests).toHaveLength(1);
    const manifestBlob = blob(index.manifests[0]!.digest);
    expect(sha256(manifestBlob)).toBe(index.manifests[0]!.digest);
    const manifest = JSON.parse(manifestBlob.toString()) as { config: Descriptor; layers: Descriptor[] };
    const configBlob = blob(manifest.config.digest);
    expect(sha256(configBlob)).toBe(manifest.config.digest);
    config = JSON.parse(configBlob.toString()) as ImageConfig;
    // Layers in order; each blob must be what its digest says, and unpack to its diff id.
    expect(manifest.layers).toHaveLength(config.rootfs.diff_ids.length);
    manifest.layers.forEach((layer, i) => {
      const data = blob(layer.digest);
      expect(sha256(data)).toBe(layer.digest);
      expect(data.length).toBe(layer.size);
      expect(layer.mediaType).toBe("application/vnd.oci.image.layer.v1.tar+gzip");
      expect(sha256(execFileSync("gzip", ["-dc"], { input: data, maxBuffer: 1 << 30 }))).toBe(config.rootfs.diff_ids[i]);
      execFileSync("tar", ["-xzf", path.join(layout, "blobs/sha256", layer.digest.replace("sha256:", "")), "-C", rootfs]);
    });

    // A fresh, empty database: the image's own `migrate` builds it.
    serverUrl = process.env.DATABASE_URL!;
    databaseName = `wharf_image_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${databaseName}`);
    await admin.end();
    const u = new URL(serverUrl);
    u.pathname = `/${databaseName}`;
    databaseUrl = u.toString();
  }, 900_000);

  afterAll(async () => {
    for (const child of [web, worker]) {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await new Promise((resolve) => child.on("exit", resolve));
      }
    }
    if (databaseName) {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
      await admin.end();
    }
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("is configured to run the entrypoint as 10001 in production, labelled with the revision", () => {
    expect(config.os).toBe("linux");
    expect(config.config.Entrypoint).toEqual(["/usr/local/bin/node", "/app/bin/wharf.mjs"]);
    expect(config.config.Cmd).toEqual(["web"]);
    expect(config.config.User).toBe("10001");
    expect(config.config.Env).toContain("NODE_ENV=production");
    expect(Object.keys(config.config.ExposedPorts)).toEqual(["3000/tcp"]);
    const revision = config.config.Labels["org.opencontainers.image.revision"]!;
    // A reused image may be of an earlier commit, but of a commit of this repository.
    if (process.env.WHARF_IMAGE_PREBUILT === "1") expect(() => execFileSync("git", ["cat-file", "-e", `${revision}^{commit}`], { cwd: root })).not.toThrow();
    else expect(revision).toBe(execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" }).trim());
    expect(config.config.Labels["org.opencontainers.image.source"]).toBeTruthy();
    expect(Number.isNaN(Date.parse(config.config.Labels["org.opencontainers.image.created"]!))).toBe(false);
    expect(readFileSync(path.join(rootfs, "etc/passwd"), "utf8")).toMatch(/^wharf:x:10001:10001:/m);
  });

  it("ships no sources or dev tools", () => {
    const packages = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isDirectory()) continue;
        if (path.basename(dir) === "node_modules") packages.add(entry.name);
        walk(path.join(dir, entry.name));
      }
    };
    walk(path.join(rootfs, "app"));
    expect(packages).toContain("next");
    for (const tool of ["typescript", "tsx", "esbuild", "vitest", "turbo", "eslint", "@playwright", ".bin"]) expect(packages, tool).not.toContain(tool);
    expect(existsSync(path.join(rootfs, "app/packages/core"))).toBe(false);
    expect(existsSync(path.join(rootfs, "app/apps/worker/src"))).toBe(false);
  });

  it("refuses to start without a required setting, in one line", async () => {
    const { code, stderr } = await runToEnd(["web"], { DATABASE_URL: databaseUrl, WHARF_ENCRYPTION_KEY: randomBytes(32).toString("base64") });
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual(["wharf: AUTH_SECRET is not set (required by `web`)"]);
  });

  it("migrates an empty database, then serves web as 10001 with a live endpoint answering 200", async () => {
    const env = {
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      WHARF_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      WHARF_PUBLIC_URL: "http://localhost:3000",
    };
    const waiting = await runToEnd(["wait-for-migrations"], { ...env, WHARF_MIGRATIONS_TIMEOUT_MS: "1000" });
    expect(waiting.code).toBe(1);
    expect(waiting.stderr).toMatch(/^wharf: timed out after 1s waiting for migrations: \d+ migration\(s\) not applied yet/);

    const migrated = await runToEnd(["migrate"], env);
    expect(migrated.stderr).toBe("");
    expect(migrated.code).toBe(0);
    expect((await runToEnd(["wait-for-migrations"], env)).code).toBe(0);

    const port = await freePort();
    web = run(["web"], { ...env, PORT: String(port) });
    let output = "";
    web.stdout!.on("data", (d) => (output += d));
    web.stderr!.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => web!.on("exit", resolve));
    // Polls the endpoint the image's health check uses until it answers (or the server exits).
    let live: Response | undefined;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline && web.exitCode === null; ) {
      live = await fetch(`http://127.0.0.1:${port}/api/health/live`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
      if (live) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(live?.status, output).toBe(200);
    const status = readFileSync(`/proc/${web.pid}/status`, "utf8");
    expect(status).toMatch(/^Uid:\s+10001\s/m);
    expect((await runToEnd(["healthcheck"], { PORT: String(port) })).code).toBe(0);
    expect((await fetch(`http://127.0.0.1:${port}/api/health/ready`)).status).toBe(200);
    const page = await fetch(`http://127.0.0.1:${port}/sign-in`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("/_next/static/");
    // The REST API answers from the lean bundle, not Next: server.mjs says when it is missing.
    const api = await fetch(`http://127.0.0.1:${port}/api/v1/apps`);
    expect(api.status).toBe(401);
    expect((await api.json()).error.code).toBe("API_KEY_MISSING");
    // So does the console's tRPC, with its security headers (set by the bundle, not Next's proxy).
    const trpc = await fetch(`http://127.0.0.1:${port}/api/trpc/orgs.mine`);
    expect(trpc.status).toBe(401);
    expect(trpc.headers.get("x-frame-options")).toBe("DENY");
    expect(output).not.toContain("lean-api.mjs is not built");

    web.kill("SIGTERM");
    await exited;
    expect((await runToEnd(["healthcheck"], { PORT: String(port) })).code).toBe(1);
  }, 180_000);

  it("runs the worker bundle, which answers its probes", async () => {
    const port = await freePort();
    // The integration tests' own database, migrated by their global setup.
    worker = run(["worker"], {
      DATABASE_URL: serverUrl,
      WHARF_ENCRYPTION_KEY: process.env.WHARF_ENCRYPTION_KEY!,
      WHARF_PUBLIC_URL: "http://localhost:3000",
      WHARF_WORKER_HEALTH_PORT: String(port),
    });
    let output = "";
    worker.stdout!.on("data", (d) => (output += d));
    worker.stderr!.on("data", (d) => (output += d));
    const exited = new Promise<void>((resolve) => worker!.on("exit", () => resolve()));
    let ready: Response | undefined;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline && worker.exitCode === null; ) {
      // Connection: close, as kubelet probes do: a kept-alive socket would hold the health server open at shutdown.
      ready = await fetch(`http://127.0.0.1:${port}/api/health/ready`, { headers: { connection: "close" }, signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
      if (ready) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(ready?.status, output).toBe(200);
    expect(await ready!.json()).toMatchObject({ ready: true });
    // The log and the probe's answer come over different pipes: wait for the log to arrive.
    for (const deadline = Date.now() + 10_000; !output.includes("[worker]") && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(output).toContain("[worker]");
    // Graceful shutdown is not this test's business (a worker stopped right after start took
    // about two minutes here to finish its loops): the image's part ends at a ready worker.
    worker.kill("SIGKILL");
    await exited;
  }, 120_000);
});
