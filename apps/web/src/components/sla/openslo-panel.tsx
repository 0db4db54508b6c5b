"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Card, TextAreaField } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

/** OpenSLO v1 YAML: export one service's SLOs (or the organisation's), and import documents. */
export function OpenSloPanel({ orgId, serviceId, canManage }: { orgId: string; serviceId?: string; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [showExport, setShowExport] = useState(false);
  const [yaml, setYaml] = useState("");
  const exported = useQuery({ ...trpc.slo.exportOpenSlo.queryOptions({ orgId, serviceId }), enabled: showExport });
  const imported = useMutation(
    trpc.slo.importOpenSlo.mutationOptions({
      onSuccess: () => {
        setYaml("");
        void queryClient.invalidateQueries({ queryKey: trpc.slo.pathKey() });
      },
    }),
  );

  return (
    <Card>
      <h3 className="font-medium">OpenSLO</h3>
      <p className="text-sm text-slate-600">
        Export as OpenSLO v1 YAML, or import documents (kind SLO). Services are named <code>namespace/name</code>, or by a name unique in your organisation.
      </p>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button variant="secondary" size="sm" onClick={() => setShowExport((v) => !v)}>
          {showExport ? "Hide export" : serviceId ? "Export this service's SLOs" : "Export all SLOs"}
        </Button>
        {exported.data?.yaml ? (
          <Button
            variant="secondary"
            size="sm"
            onClick={() => {
              const url = URL.createObjectURL(new Blob([exported.data.yaml], { type: "application/yaml" }));
              const link = document.createElement("a");
              link.href = url;
              link.download = "slos.openslo.yaml";
              link.click();
              URL.revokeObjectURL(url);
            }}
          >
            Download YAML
          </Button>
        ) : null}
      </div>
      {showExport ? (
        exported.error ? (
          <Alert tone="error">{describeError(exported.error).message}</Alert>
        ) : (
          <pre aria-label="OpenSLO export" className="mt-3 max-h-80 overflow-auto rounded bg-slate-50 p-3 text-xs">
            {exported.isLoading ? "Loading…" : exported.data?.yaml || "# no SLOs"}
          </pre>
        )
      ) : null}
      {canManage ? (
        <form
          className="mt-4 space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            imported.mutate({ orgId, yaml });
          }}
        >
          <TextAreaField label="OpenSLO YAML to import" rows={8} value={yaml} onChange={(e) => setYaml(e.target.value)} />
          {imported.error ? <Alert tone="error">{describeError(imported.error).message}</Alert> : null}
          {imported.data ? (
            <Alert tone="success">
              Imported: {imported.data.created} created, {imported.data.updated} updated.
            </Alert>
          ) : null}
          <Button type="submit" size="sm" busy={imported.isPending} disabled={!yaml.trim()}>
            Import
          </Button>
        </form>
      ) : null}
    </Card>
  );
}
