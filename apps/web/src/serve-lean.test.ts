import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type LeanHandler, requestHeaders, responseHeaders, serveLean } from "./serve-lean";

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: http.Server | undefined;
const refuse = vi.fn();

afterEach(async () => {
  refuse.mockReset();
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server!.close(resolve));
  server = undefined;
});

/** A node:http server that hands every request to `handler` through serveLean. */
async function serve(handler: LeanHandler): Promise<number> {
  server = http.createServer((req, res) => void serveLean(handler, req, res, { origin: "http://wharf.test", refuse: (...args) => (refuse(...args), res.end()) }));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** A promise and the function that settles it. */
function settled(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function ask(port: number, options: http.RequestOptions & { body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, path: "/api/v1/apps?limit=2", ...options }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.once("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() }));
    });
    request.once("error", reject);
    request.end(options.body);
  });
}

describe("serveLean", () => {
  it("hands the handler a web Request under the caller's origin, and writes its Response with its length", async () => {
    let seen: Request | undefined;
    const port = await serve(async (request) => {
      seen = request;
      return new Response("zürich ✓", { status: 201, headers: { "content-type": "text/plain; charset=utf-8", "content-length": "1" } });
    });
    const answer = await ask(port, { headers: { "x-trace": "a", accept: "application/json" } });
    expect(seen?.url).toBe("http://wharf.test/api/v1/apps?limit=2");
    expect(seen?.method).toBe("GET");
    expect(seen?.headers.get("x-trace")).toBe("a");
    expect(seen?.body).toBeNull();
    expect(answer).toMatchObject({ status: 201, body: "zürich ✓" });
    expect(answer.headers["content-length"]).toBe(String(Buffer.byteLength("zürich ✓")));
  });

  it("keeps every set-cookie of the response", async () => {
    const port = await serve(async () => {
      const headers = new Headers({ "content-type": "application/json" });
      headers.append("set-cookie", "a=1; Path=/");
      headers.append("set-cookie", "b=2; Path=/");
      return new Response("{}", { headers });
    });
    expect((await ask(port)).headers["set-cookie"]).toEqual(["a=1; Path=/", "b=2; Path=/"]);
  });

  it("answers HEAD as GET without the body", async () => {
    let method: string | undefined;
    const port = await serve(async (request) => {
      method = request.method;
      return new Response("not sent", { headers: { "content-type": "text/plain" } });
    });
    const answer = await ask(port, { method: "HEAD" });
    expect(method).toBe("GET");
    expect(answer).toMatchObject({ status: 200, body: "" });
    expect(answer.headers["content-type"]).toBe("text/plain");
  });

  it("streams a request body to the handler, and sends a streamed response whole with its length", async () => {
    const port = await serve(async (request) => {
      const text = await request.text();
      return new Response(new Blob([`got ${text}`]).stream());
    });
    const answer = await ask(port, { method: "POST", body: "a body", headers: { "content-type": "text/plain" } });
    expect(answer.body).toBe("got a body");
    expect(answer.headers["content-length"]).toBe(String("got a body".length));
  });

  it("hands a failure to refuse as a 500", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const port = await serve(async () => {
      throw new Error("boom");
    });
    await ask(port);
    expect(refuse).toHaveBeenCalledWith(500, "INTERNAL_ERROR", expect.any(String));
  });

  it("gives event-stream requests a signal that aborts when the caller leaves, and cancels the stream", async () => {
    const signals: AbortSignal[] = [];
    const cancelled = settled();
    const port = await serve(async (request) => {
      signals.push(request.signal);
      const body = new ReadableStream({
        start: (controller) => controller.enqueue(new TextEncoder().encode("data: 1\n\n")),
        cancel: cancelled.resolve,
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    });
    const request = http.get({ host: "127.0.0.1", port, path: "/api/trpc/apps.progress", headers: { accept: "text/event-stream" } });
    const response = await new Promise<http.IncomingMessage>((resolve) => request.once("response", resolve));
    const first = await new Promise<Buffer>((resolve) => response.once("data", resolve));
    expect(first.toString()).toBe("data: 1\n\n");
    expect(signals[0]?.aborted).toBe(false);
    request.destroy();
    await cancelled.promise;
    await vi.waitFor(() => expect(signals[0]?.aborted).toBe(true));
  });

  it("cancels an event stream when the caller leaves, even one not asked for as such", async () => {
    const cancelled = settled();
    const port = await serve(async () => new Response(new ReadableStream({ start: (c) => c.enqueue(new Uint8Array([49])), cancel: cancelled.resolve }), { headers: { "content-type": "text/event-stream" } }));
    const request = http.get({ host: "127.0.0.1", port, path: "/api/trpc/apps.progress" });
    const response = await new Promise<http.IncomingMessage>((resolve) => request.once("response", resolve));
    await new Promise((resolve) => response.once("data", resolve));
    request.destroy();
    await cancelled.promise;
  });
});

describe("the conversion's parts", () => {
  it("joins Node's repeated request headers as Headers would", () => {
    const pairs = requestHeaders({ host: "h", "set-cookie": ["a=1", "b=2"], "x-none": undefined });
    expect(pairs).toEqual([
      ["host", "h"],
      ["set-cookie", "a=1, b=2"],
    ]);
  });

  it("lists response headers flat, the body's length in place of the handler's", () => {
    const headers = new Headers({ "content-length": "99", vary: "accept" });
    expect(responseHeaders(headers, 3)).toEqual(["vary", "accept", "content-length", "3"]);
    expect(responseHeaders(headers, null)).toEqual(["content-length", "99", "vary", "accept"]);
  });
});
