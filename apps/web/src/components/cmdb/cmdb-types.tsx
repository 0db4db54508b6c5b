"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CiTypeView } from "@wharf/contracts";
import { Alert, Badge, Button, Cell, DataTable, TextAreaField, TextField } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const EXAMPLE_SCHEMA = JSON.stringify({ type: "object", properties: { vendor: { type: "string", maxLength: 120 }, contractEnds: { type: "string", format: "date" } } }, null, 2);

function parseSchema(text: string): { schema?: Record<string, unknown>; error?: string } {
  try {
    const schema: unknown = JSON.parse(text);
    return typeof schema === "object" && schema !== null && !Array.isArray(schema) ? { schema: schema as Record<string, unknown> } : { error: "The schema must be a JSON object" };
  } catch (error) {
    return { error: `The schema is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Operators' CMDB types: the built-in ones, and custom types with their attribute schema (JSON Schema, as the catalog's parameters). */
export function CmdbTypes() {
  const trpc = useTRPC();
  const types = useQuery(trpc.cmdb.platformTypes.queryOptions());
  const [editing, setEditing] = useState<CiTypeView | "new" | null>(null);
  return (
    <div className="space-y-4">
      {editing === null ? <Button onClick={() => setEditing("new")}>New type</Button> : <TypeForm key={editing === "new" ? "new" : editing.key} type={editing === "new" ? undefined : editing} onDone={() => setEditing(null)} />}
      {types.error ? <Alert tone="error">{describeError(types.error).message}</Alert> : null}
      <DataTable head={["Type", "Key", "Attributes", ""]} caption="CMDB types">
        {(types.data ?? []).map((t) => (
          <tr key={t.key} data-testid={`ci-type-${t.key}`}>
            <Cell>
              <span style={{ color: t.color }} aria-hidden>
                {t.icon}
              </span>{" "}
              {t.name} {t.builtIn ? <Badge>built in</Badge> : null}
            </Cell>
            <Cell>
              <code>{t.key}</code>
            </Cell>
            <Cell className="text-xs text-slate-600">{Object.keys(((t.attributeSchema ?? {}) as { properties?: object }).properties ?? {}).join(", ") || "—"}</Cell>
            <Cell>
              {t.builtIn ? null : (
                <Button size="sm" variant="ghost" onClick={() => setEditing(t)}>
                  Edit {t.name}
                </Button>
              )}
            </Cell>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

function TypeForm({ type, onDone }: { type?: CiTypeView; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [schemaError, setSchemaError] = useState<string | null>(null);
  const onSuccess = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.cmdb.pathKey() });
    onDone();
  };
  const create = useMutation(trpc.cmdb.createType.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.cmdb.updateType.mutationOptions({ onSuccess }));
  const failed = create.error ?? update.error;
  return (
    <form
      aria-label={type ? `Edit ${type.name}` : "New type"}
      className="space-y-3 rounded-md border border-slate-200 p-3"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const { schema, error } = parseSchema(String(form.get("schema") ?? ""));
        setSchemaError(error ?? null);
        if (!schema) return;
        const fields = { name: String(form.get("name") ?? ""), icon: String(form.get("icon") ?? ""), color: String(form.get("color") ?? "#64748b"), attributeSchema: schema };
        if (type) update.mutate({ key: type.key, ...fields });
        else create.mutate({ key: String(form.get("key") ?? ""), ...fields });
      }}
    >
      <div className="flex flex-wrap gap-3">
        {type ? null : <TextField label="Key" name="key" required placeholder="vendor" />}
        <TextField label="Name" name="name" required defaultValue={type?.name} />
        <TextField label="Icon" name="icon" maxLength={8} defaultValue={type?.icon} />
        <TextField label="Colour" name="color" type="color" defaultValue={type?.color ?? "#64748b"} />
      </div>
      <TextAreaField label="Attribute schema (JSON Schema)" name="schema" rows={8} defaultValue={type ? JSON.stringify(type.attributeSchema, null, 2) : EXAMPLE_SCHEMA} error={schemaError ?? undefined} />
      <div className="flex gap-2">
        <Button type="submit" busy={create.isPending || update.isPending}>
          {type ? "Save type" : "Create type"}
        </Button>
        <Button type="button" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
      {failed ? <Alert tone="error">{describeError(failed).message}</Alert> : null}
    </form>
  );
}
