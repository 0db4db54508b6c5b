"use client";

import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type CmdbImportPreview, IMPORT_BATCH_ROWS, type ImportRowError, MAX_IMPORT_BYTES } from "@wharf/contracts";
import { Alert, Button, Cell, DataTable } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

type Progress = { done: number; total: number; errors: ImportRowError[]; finished: boolean };

function batches<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += IMPORT_BATCH_ROWS) out.push(rows.slice(i, i + IMPORT_BATCH_ROWS));
  return out;
}

/**
 * CSV or JSON import of manual items and relations: the file is checked first (every bad row
 * listed with its reason, nothing written), then the valid rows are written in batches on
 * confirmation, with a bar showing how far it got. Items go first: relations name them.
 */
export function CmdbImport({ orgId }: { orgId?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [preview, setPreview] = useState<CmdbImportPreview | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const tenantPreview = useMutation(trpc.cmdb.importPreview.mutationOptions({ onSuccess: setPreview }));
  const platformPreview = useMutation(trpc.cmdb.platformImportPreview.mutationOptions({ onSuccess: setPreview }));
  const check = orgId !== undefined ? tenantPreview : platformPreview;
  const tenantApply = useMutation(trpc.cmdb.importApply.mutationOptions());
  const platformApply = useMutation(trpc.cmdb.platformImportApply.mutationOptions());

  async function read(file: File) {
    setPreview(null);
    setProgress(null);
    setFileError(null);
    if (file.size > MAX_IMPORT_BYTES) return setFileError(`${file.name} is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB`);
    const format = file.name.toLowerCase().endsWith(".json") ? "json" : "csv";
    const text = await file.text();
    if (orgId !== undefined) tenantPreview.mutate({ orgId, format, text });
    else platformPreview.mutate({ format, text });
  }

  async function confirm(checked: CmdbImportPreview) {
    const steps = [...batches(checked.items).map((items) => ({ items, relations: [] })), ...batches(checked.relations).map((relations) => ({ items: [], relations }))];
    const state: Progress = { done: 0, total: checked.items.length + checked.relations.length, errors: [], finished: false };
    setProgress({ ...state });
    try {
      for (const step of steps) {
        const result = orgId !== undefined ? await tenantApply.mutateAsync({ orgId, ...step }) : await platformApply.mutateAsync(step);
        state.done += step.items.length + step.relations.length;
        state.errors.push(...result.errors);
        setProgress({ ...state });
      }
    } catch (error) {
      setFileError(describeError(error).message);
    } finally {
      setProgress({ ...state, finished: true });
      void queryClient.invalidateQueries({ queryKey: trpc.cmdb.pathKey() });
    }
  }

  const valid = preview ? preview.items.length + preview.relations.length : 0;
  return (
    <section aria-label="Import" className="space-y-3 rounded-md border border-slate-200 p-3">
      <h3 className="font-medium">Import items or relations</h3>
      <p className="text-sm text-slate-600">
        CSV with the columns <code>type,name</code> (and <code>owner,tier,notes</code>, other columns are attributes), or relations with{" "}
        <code>from_type,from_name,kind,to_type,to_name</code>; or JSON <code>{'{"items": [...], "relations": [...]}'}</code>.
      </p>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">File to import</span>
        <input type="file" accept=".csv,.json,text/csv,application/json" onChange={(e) => e.target.files?.[0] && void read(e.target.files[0])} />
      </label>
      {check.isPending ? <p className="text-sm text-slate-500">Checking…</p> : null}
      {check.error ? <Alert tone="error">{describeError(check.error).message}</Alert> : null}
      {fileError ? <Alert tone="error">{fileError}</Alert> : null}
      {preview ? (
        <div className="space-y-3">
          <p className="text-sm" data-testid="import-summary">
            {preview.totalRows} rows read: {preview.items.length} items and {preview.relations.length} relations valid, {preview.errors.length} problems.
          </p>
          {preview.errors.length ? <RowErrors caption="Rows that will not be imported" errors={preview.errors} /> : null}
          {progress === null ? (
            <Button disabled={valid === 0} onClick={() => void confirm(preview)}>
              Import {valid} valid rows
            </Button>
          ) : null}
        </div>
      ) : null}
      {progress ? (
        <div className="space-y-2">
          <progress className="w-full" aria-label="Import progress" max={progress.total} value={progress.done} />
          <p className="text-sm" role="status">
            {progress.finished ? `Imported ${progress.done - progress.errors.length} of ${progress.total} rows.` : `Importing… ${progress.done} of ${progress.total}`}
          </p>
          {progress.finished && progress.errors.length ? <RowErrors caption="Rows refused while importing" errors={progress.errors} /> : null}
        </div>
      ) : null}
    </section>
  );
}

function RowErrors({ caption, errors }: { caption: string; errors: ImportRowError[] }) {
  return (
    <DataTable head={["Line", "Field", "Problem"]} caption={caption}>
      {errors.slice(0, 200).map((e, i) => (
        <tr key={i}>
          <Cell>{e.line}</Cell>
          <Cell>{e.field}</Cell>
          <Cell className="whitespace-normal">{e.message}</Cell>
        </tr>
      ))}
    </DataTable>
  );
}
