"use client";

import { useId } from "react";
import { Alert, SelectField, TextField } from "@wharf/ui";

type JsonObject = Record<string, unknown>;

interface FieldSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  properties?: Record<string, FieldSchema>;
  required?: string[];
}

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const typeOf = (schema: FieldSchema) => (Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type);

/**
 * The starting value of a deploy form: the version's `defaults` over the
 * schema's own `default`s, nested objects included.
 */
export function defaultParams(schema: unknown, defaults: unknown = {}): JsonObject {
  const fromSchema = (s: FieldSchema): JsonObject => {
    const out: JsonObject = {};
    for (const [key, field] of Object.entries(s.properties ?? {})) {
      if (field.default !== undefined) out[key] = field.default;
      else if (typeOf(field) === "object") {
        const nested = fromSchema(field);
        if (Object.keys(nested).length) out[key] = nested;
      }
    }
    return out;
  };
  const merge = (base: JsonObject, over: JsonObject): JsonObject => {
    const out: JsonObject = { ...base };
    for (const [key, value] of Object.entries(over)) out[key] = isObject(value) && isObject(base[key]) ? merge(base[key], value) : value;
    return out;
  };
  return merge(isObject(schema) ? fromSchema(schema as FieldSchema) : {}, isObject(defaults) ? defaults : {});
}

export interface JsonSchemaFormProps {
  /** A JSON Schema for an object (draft 2020-12, the subset forms need). */
  schema: JsonObject;
  value: JsonObject;
  onChange: (value: JsonObject) => void;
  /** Messages by dotted field path (`tls.enabled`); "" for the whole form. */
  errors?: Record<string, string>;
  disabled?: boolean;
}

/**
 * A form generated from a JSON Schema: enums become selects, strings text
 * fields, integers and numbers number fields with their bounds, booleans
 * checkboxes, nested objects fieldsets. Start `value` from `defaultParams()`
 * to prefill the defaults; a field left empty shows its default as a
 * placeholder, and the server applies it.
 */
export function JsonSchemaForm({ schema, value, onChange, errors = {}, disabled }: JsonSchemaFormProps) {
  return (
    <div className="space-y-4">
      {errors[""] ? <Alert tone="error">{errors[""]}</Alert> : null}
      <ObjectFields schema={schema as FieldSchema} value={value} onChange={onChange} errors={errors} path="" disabled={disabled} />
    </div>
  );
}

interface FieldsProps {
  schema: FieldSchema;
  value: JsonObject;
  onChange: (value: JsonObject) => void;
  errors: Record<string, string>;
  path: string;
  disabled?: boolean;
}

function ObjectFields({ schema, value, onChange, errors, path, disabled }: FieldsProps) {
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) return <p className="text-sm text-slate-600">This version has no parameters.</p>;
  const set = (key: string, next: unknown) => {
    const copy = { ...value };
    if (next === undefined) delete copy[key];
    else copy[key] = next;
    onChange(copy);
  };
  return (
    <>
      {properties.map(([key, field]) => (
        <Field
          key={key}
          name={key}
          schema={field}
          required={schema.required?.includes(key) ?? false}
          value={value[key]}
          onChange={(next) => set(key, next)}
          errors={errors}
          path={path ? `${path}.${key}` : key}
          disabled={disabled}
        />
      ))}
    </>
  );
}

interface FieldProps {
  name: string;
  schema: FieldSchema;
  required: boolean;
  value: unknown;
  onChange: (value: unknown) => void;
  errors: Record<string, string>;
  path: string;
  disabled?: boolean;
}

function bounds(schema: FieldSchema): string | null {
  const low = schema.minimum ?? schema.exclusiveMinimum;
  const high = schema.maximum ?? schema.exclusiveMaximum;
  if (low !== undefined && high !== undefined) return `From ${low} to ${high}`;
  if (low !== undefined) return `At least ${low}`;
  if (high !== undefined) return `At most ${high}`;
  return null;
}

function Field({ name, schema, required, value, onChange, errors, path, disabled }: FieldProps) {
  const id = useId();
  const label = `${schema.title ?? name}${required ? "" : " (optional)"}`;
  const error = errors[path];
  const shown = value;
  const placeholder = schema.default === undefined ? undefined : `Default: ${typeof schema.default === "string" ? schema.default : JSON.stringify(schema.default)}`;
  const type = typeOf(schema);
  const hint = [schema.description, type === "integer" || type === "number" ? bounds(schema) : null].filter(Boolean).join(" · ") || undefined;

  if (type === "object") {
    return (
      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3" data-field={path}>
        <legend className="px-1 text-sm font-medium text-slate-800">{schema.title ?? name}</legend>
        {schema.description ? <p className="text-sm text-slate-500">{schema.description}</p> : null}
        {error ? (
          <p role="alert" className="text-sm text-red-600">
            {error}
          </p>
        ) : null}
        <ObjectFields schema={schema} value={isObject(value) ? value : {}} onChange={onChange} errors={errors} path={path} disabled={disabled} />
      </fieldset>
    );
  }

  if (schema.enum) {
    const options = schema.enum.map((v) => ({ value: String(v), label: String(v) }));
    const empty = { value: "", label: schema.default === undefined ? "Choose…" : `Default (${String(schema.default)})` };
    const withEmpty = required && shown !== undefined ? options : [empty, ...options];
    return (
      <div data-field={path}>
        <SelectField
          label={label}
          name={path}
          value={shown === undefined ? "" : String(shown)}
          disabled={disabled}
          error={error}
          options={withEmpty}
          onChange={(e) => {
            const picked = schema.enum!.find((v) => String(v) === e.target.value);
            onChange(e.target.value === "" ? undefined : picked);
          }}
        />
        {hint && !error ? <p className="mt-1 text-sm text-slate-500">{hint}</p> : null}
      </div>
    );
  }

  if (type === "boolean") {
    return (
      <div data-field={path} className="space-y-1">
        <div className="flex items-center gap-2">
          <input
            id={id}
            type="checkbox"
            name={path}
            className="size-4 rounded border-slate-300"
            checked={(shown ?? schema.default) === true}
            disabled={disabled}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : schema.description ? `${id}-hint` : undefined}
            onChange={(e) => onChange(e.target.checked)}
          />
          <label htmlFor={id} className="text-sm font-medium text-slate-800">
            {schema.title ?? name}
          </label>
        </div>
        {error ? (
          <p id={`${id}-error`} role="alert" className="text-sm text-red-600">
            {error}
          </p>
        ) : schema.description ? (
          <p id={`${id}-hint`} className="text-sm text-slate-500">
            {schema.description}
          </p>
        ) : null}
      </div>
    );
  }

  if (type === "integer" || type === "number") {
    return (
      <div data-field={path}>
        <TextField
          label={label}
          name={path}
          type="number"
          inputMode={type === "integer" ? "numeric" : "decimal"}
          step={type === "integer" ? 1 : "any"}
          min={schema.minimum}
          max={schema.maximum}
          disabled={disabled}
          value={shown === undefined || shown === null ? "" : String(shown)}
          placeholder={placeholder}
          error={error}
          hint={hint}
          onChange={(e) => {
            const raw = e.target.value;
            // A half-typed number is passed on as typed, so the server can say what is wrong with it.
            onChange(raw === "" ? undefined : Number.isNaN(Number(raw)) ? raw : Number(raw));
          }}
        />
      </div>
    );
  }

  if (type === "string" || type === undefined) {
    return (
      <div data-field={path}>
        <TextField
          label={label}
          name={path}
          type={schema.format === "email" ? "email" : schema.format === "uri" ? "url" : "text"}
          minLength={schema.minLength}
          maxLength={schema.maxLength}
          disabled={disabled}
          value={typeof shown === "string" ? shown : shown === undefined ? "" : JSON.stringify(shown)}
          placeholder={placeholder}
          error={error}
          hint={hint}
          onChange={(e) => onChange(e.target.value === "" && !required ? undefined : e.target.value)}
        />
      </div>
    );
  }

  // Lists and anything else: edited as JSON.
  return (
    <div data-field={path}>
      <TextField
        label={`${label} (JSON)`}
        name={path}
        className="font-mono"
        disabled={disabled}
        defaultValue={shown === undefined ? "" : JSON.stringify(shown)}
        placeholder={placeholder}
        error={error}
        hint={hint}
        onChange={(e) => {
          const raw = e.target.value;
          try {
            onChange(raw === "" ? undefined : JSON.parse(raw));
          } catch {
            onChange(raw);
          }
        }}
      />
    </div>
  );
}
