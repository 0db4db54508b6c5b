// Synthetic container logs derived from container start times: deterministic, so `logs` and
// `logs -f` agree, with tailLines / sinceSeconds / timestamps / previous / follow.
import { type IncomingMessage, type ServerResponse } from "node:http";
import { badRequest } from "./errors.js";
import { writeHead } from "./server.js";
import { R } from "./resources.js";
import { type Store } from "./store.js";
import { type Container, type ContainerStatus, isObject, type Pod } from "./types.js";

export interface LogLine {
  at: number;
  text: string;
}

export class LogService {
  constructor(
    private readonly store: Store,
    /** Interval between synthetic request lines of a running container. */
    private readonly intervalMs: number,
    private readonly streams: Set<ServerResponse>,
  ) {}

  /** All lines of one container instance up to `until`. */
  lines(pod: Pod, container: Container, status: ContainerStatus | undefined, previous: boolean, until: number): LogLine[] {
    const state = previous ? status?.lastState : status?.state;
    const running = isObject(state?.running) ? state.running : undefined;
    const terminated = isObject(state?.terminated) ? state.terminated : undefined;
    const startedAt = Date.parse(String(running?.startedAt ?? terminated?.startedAt ?? ""));
    if (Number.isNaN(startedAt)) return [];
    const port = container.ports?.[0]?.containerPort ?? 8080;
    const out: LogLine[] = [
      { at: startedAt, text: `Starting ${container.image} in pod ${pod.metadata.namespace}/${pod.metadata.name} (container ${container.name})` },
      { at: startedAt, text: `Listening on :${port}` },
    ];
    if (terminated) {
      out.push({ at: Date.parse(String(terminated.finishedAt ?? startedAt)) || startedAt, text: `panic: simulated crash (exit code ${String(terminated.exitCode ?? 1)})` });
      return out;
    }
    const end = Math.min(until, Date.now());
    for (let i = 1, at = startedAt + this.intervalMs; at <= end; i++, at += this.intervalMs) {
      out.push({ at, text: `GET /healthz 200 request=${i}` });
    }
    return out;
  }

  serve(_req: IncomingMessage, res: ServerResponse, pod: Pod, q: URLSearchParams) {
    const containers = pod.spec?.containers ?? [];
    const name = q.get("container");
    let container: Container | undefined;
    if (name) {
      container = containers.find((c) => c.name === name) ?? pod.spec?.initContainers?.find((c) => c.name === name);
      if (!container) throw badRequest(`container ${name} is not valid for pod ${pod.metadata.name}`);
    } else if (containers.length === 1) container = containers[0];
    else throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.map((c) => c.name).join(" ")}]`);
    if (!container) throw badRequest(`pod ${pod.metadata.name} has no containers`);
    const cname = container.name;
    const previous = q.get("previous") === "true";
    const statusOf = (p: Pod) => p.status?.containerStatuses?.find((c) => c.name === cname);
    const status = statusOf(pod);
    if (previous) {
      if (!isObject(status?.lastState?.terminated)) throw badRequest(`previous terminated container "${cname}" in pod "${pod.metadata.name}" not found`);
    } else if (!status || (!isObject(status.state.running) && !isObject(status.state.terminated))) {
      const waiting = isObject(status?.state.waiting) ? String(status?.state.waiting.reason ?? "ContainerCreating") : "ContainerCreating";
      if (waiting === "ErrImagePull" || waiting === "ImagePullBackOff")
        throw badRequest(`container "${cname}" in pod "${pod.metadata.name}" is waiting to start: trying and failing to pull image`);
      throw badRequest(`container "${cname}" in pod "${pod.metadata.name}" is waiting to start: ${waiting}`);
    }

    const timestamps = q.get("timestamps") === "true";
    const tail = q.has("tailLines") ? Number(q.get("tailLines")) : undefined;
    const since = q.has("sinceSeconds") ? Date.now() - Number(q.get("sinceSeconds")) * 1000 : q.has("sinceTime") ? Date.parse(q.get("sinceTime") ?? "") : undefined;
    const limitBytes = q.has("limitBytes") ? Number(q.get("limitBytes")) : undefined;
    const fmt = (l: LogLine) => (timestamps ? `${new Date(l.at).toISOString().replace("Z", "000000Z")} ${l.text}\n` : `${l.text}\n`);

    let lines = this.lines(pod, container, status, previous, Date.now());
    if (since !== undefined && !Number.isNaN(since)) lines = lines.filter((l) => l.at >= since);
    if (tail !== undefined && tail >= 0) lines = lines.slice(Math.max(0, lines.length - tail));
    writeHead(res, 200, { "Content-Type": "text/plain", "Transfer-Encoding": "chunked", "Cache-Control": "no-cache, private" });
    let text = lines.map(fmt).join("");
    if (limitBytes !== undefined && limitBytes >= 0) text = text.slice(0, limitBytes);
    res.write(text);
    const follow = q.get("follow") === "true" && !previous;
    if (!follow) {
      res.end();
      return;
    }
    // Follow: emit lines as they become due until the container instance changes or goes away.
    const startedAt = isObject(status?.state.running) ? String(status?.state.running.startedAt) : "";
    let sent = this.lines(pod, container, status, false, Date.now()).length;
    this.streams.add(res);
    const c = container;
    const timer = setInterval(() => {
      const current = this.store.get(R.pods, pod.metadata.namespace, pod.metadata.name) as Pod | undefined;
      const st = current ? statusOf(current) : undefined;
      if (!current || current.metadata.uid !== pod.metadata.uid || !isObject(st?.state.running) || String(st?.state.running.startedAt) !== startedAt) {
        stop();
        return;
      }
      const all = this.lines(current, c, st, false, Date.now());
      for (const l of all.slice(sent)) res.write(fmt(l));
      sent = all.length;
    }, Math.max(20, Math.min(this.intervalMs, 1000)));
    const stop = () => {
      clearInterval(timer);
      this.streams.delete(res);
      res.end();
    };
    res.on("close", stop);
  }
}
