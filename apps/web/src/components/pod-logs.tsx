"use client";

import { useEffect, useRef, useState } from "react";
import { Alert, Button, SelectField } from "@wharf/ui";

const MAX_LINES = 2_000;

/** A pod's logs: the last lines, optionally followed live (a streamed response), and a download. */
export function PodLogs({ orgId, appId, pods }: { orgId: string; appId: string; pods: Array<{ name: string; containers: string[] }> }) {
  const [chosen, setPod] = useState(pods[0]!.name);
  // Pods come and go with every rollout: fall back to a live one.
  const pod = pods.some((p) => p.name === chosen) ? chosen : pods[0]!.name;
  const [tail, setTail] = useState(200);
  const [follow, setFollow] = useState(false);
  const [lines, setLines] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const query = new URLSearchParams({ orgId, appId, pod, tailLines: String(tail) });

  useEffect(() => {
    const abort = new AbortController();
    setLines([]);
    setError(null);
    const read = async (): Promise<void> => {
      try {
        const response = await fetch(`/api/apps/logs?${query}${follow ? "&follow=1" : ""}`, { signal: abort.signal });
        if (!response.ok) {
          setError(((await response.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? `Logs failed (${response.status})`);
          // 409: the container has not started yet. Try again shortly.
          if (response.status === 409 && !abort.signal.aborted) setTimeout(() => void read(), 2_000);
          return;
        }
        setError(null);
        const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
        let partial = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const parts = (partial + value).split("\n");
          partial = parts.pop() ?? "";
          setLines((current) => [...current, ...parts].slice(-MAX_LINES));
        }
      } catch (e) {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      }
    };
    void read();
    return () => abort.abort();
  }, [pod, tail, follow, orgId, appId]); // `query` is derived from these

  // Braces matter: newer browsers return a Promise from scrollIntoView, and an
  // effect must return nothing or a cleanup function.
  useEffect(() => {
    void bottom.current?.scrollIntoView({ block: "end" });
  }, [lines]);

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <SelectField label="Pod" value={pod} onChange={(e) => setPod(e.target.value)} options={pods.map((p) => ({ value: p.name, label: p.name }))} />
        <SelectField
          label="Last lines"
          value={String(tail)}
          onChange={(e) => setTail(Number(e.target.value))}
          options={[50, 200, 1000].map((n) => ({ value: String(n), label: String(n) }))}
        />
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        <a href={`/api/apps/logs?${query}&download=1`} download>
          <Button size="sm" variant="secondary" type="button">
            Download
          </Button>
        </a>
      </div>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="h-96 overflow-auto rounded-md bg-slate-950 p-3">
        <pre data-testid="log-lines" className="text-xs leading-5 text-slate-100">
          {lines.join("\n")}
        </pre>
        <div ref={bottom} />
      </div>
    </div>
  );
}
