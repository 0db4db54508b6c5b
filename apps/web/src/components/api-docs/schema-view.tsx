"use client";

import { useState } from "react";
import { type JsonSchema, type OpenApiDocument, refName, resolveRef, typeLabel } from "./openapi";

/** Children of a schema worth expanding: object properties, array items, union variants. */
function childrenOf(doc: OpenApiDocument, schema: JsonSchema): { name: string; schema: JsonSchema; required: boolean }[] {
  const resolved = schema.$ref ? resolveRef<JsonSchema>(doc, { $ref: schema.$ref }) : schema;
  if (!resolved) return [];
  if (resolved.properties) {
    return Object.entries(resolved.properties).map(([name, property]) => ({ name, schema: property, required: resolved.required?.includes(name) ?? false }));
  }
  if (resolved.items) return [{ name: "[item]", schema: resolved.items, required: false }];
  const variants = resolved.oneOf ?? resolved.anyOf ?? resolved.allOf;
  if (variants && variants.some((v) => v.$ref || v.properties || v.items)) {
    return variants.map((variant, i) => ({ name: `variant ${i + 1}`, schema: variant, required: false }));
  }
  return [];
}

function constraints(schema: JsonSchema): string[] {
  const out: string[] = [];
  if (schema.minimum !== undefined) out.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) out.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined) out.push(`min length ${schema.minLength}`);
  if (schema.maxLength !== undefined) out.push(`max length ${schema.maxLength}`);
  if (schema.pattern) out.push(`pattern ${schema.pattern}`);
  if (schema.default !== undefined) out.push(`default ${JSON.stringify(schema.default)}`);
  return out;
}

/**
 * A JSON Schema as an expandable tree. Children render only when opened, so a
 * recursive schema costs one level per click instead of looping.
 */
export function SchemaView({ doc, schema, name, required = false, initiallyOpen = false }: {
  doc: OpenApiDocument;
  schema: JsonSchema;
  name?: string;
  required?: boolean;
  initiallyOpen?: boolean;
}) {
  const [open, setOpen] = useState(initiallyOpen);
  const children = childrenOf(doc, schema);
  const resolved = (schema.$ref ? resolveRef<JsonSchema>(doc, { $ref: schema.$ref }) : schema) ?? schema;
  const description = schema.description ?? resolved.description;
  const label = (
    <>
      {name ? <span className="font-mono font-medium text-slate-900">{name}</span> : null}
      {required ? <span className="text-xs text-red-700">required</span> : null}
      <span className="font-mono text-xs text-sky-800">{typeLabel(schema)}</span>
      {constraints(resolved).map((c) => (
        <span key={c} className="text-xs text-slate-500">
          {c}
        </span>
      ))}
    </>
  );

  return (
    <div className="text-sm">
      {children.length ? (
        <button
          type="button"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
          className="flex flex-wrap items-baseline gap-2 rounded text-left hover:bg-slate-50"
        >
          <span aria-hidden className="w-3 text-slate-500">
            {open ? "▾" : "▸"}
          </span>
          {label}
          {schema.$ref ? <span className="sr-only">({refName(schema.$ref)})</span> : null}
        </button>
      ) : (
        <div className="flex flex-wrap items-baseline gap-2 pl-5">{label}</div>
      )}
      {description ? <p className="pl-5 text-xs text-slate-600">{description}</p> : null}
      {open && children.length ? (
        <div className="mt-1 ml-1.5 space-y-1 border-l border-slate-200 pl-3">
          {children.map((child) => (
            <SchemaView key={child.name} doc={doc} schema={child.schema} name={child.name} required={child.required} />
          ))}
        </div>
      ) : null}
    </div>
  );
}
