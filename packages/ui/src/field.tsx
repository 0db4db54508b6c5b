import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes, useId } from "react";
import { cn } from "./cn";

const control =
  "block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 focus:outline-2 focus:outline-offset-1 focus:outline-slate-900";

interface FieldProps {
  label: string;
  error?: string | string[] | null;
  hint?: ReactNode;
}

/**
 * Label, control and message, with the message announced and tied to the
 * control (aria-describedby). `children` renders the control given its ids.
 */
function FieldFrame({
  label,
  error,
  hint,
  className,
  children,
}: FieldProps & { className?: string; children: (aria: { id: string; invalid: boolean; describedBy: string | undefined }) => ReactNode }) {
  const id = useId();
  const message = Array.isArray(error) ? error[0] : error;
  return (
    <div className={cn("space-y-1", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children({ id, invalid: Boolean(message), describedBy: message ? `${id}-error` : hint ? `${id}-hint` : undefined })}
      {message ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-600">
          {message}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-sm text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

const border = (invalid: boolean) => (invalid ? "border-red-500" : "border-slate-300");

export function TextField({ label, error, hint, className, ...props }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldFrame label={label} error={error} hint={hint} className={className}>
      {({ id, invalid, describedBy }) => (
        <input id={id} {...props} aria-invalid={invalid || undefined} aria-describedby={describedBy} className={cn(control, border(invalid))} />
      )}
    </FieldFrame>
  );
}

/** A multi-line field in a fixed-width font: for markdown, JSON, YAML. */
export function TextAreaField({ label, error, hint, className, ...props }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldFrame label={label} error={error} hint={hint} className={className}>
      {({ id, invalid, describedBy }) => (
        <textarea id={id} {...props} aria-invalid={invalid || undefined} aria-describedby={describedBy} className={cn(control, "font-mono", border(invalid))} />
      )}
    </FieldFrame>
  );
}

export function SelectField({
  label,
  error,
  hint,
  options,
  className,
  ...props
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: ReadonlyArray<{ value: string; label: string }> }) {
  return (
    <FieldFrame label={label} error={error} hint={hint} className={className}>
      {({ id, invalid, describedBy }) => (
        <select id={id} {...props} aria-invalid={invalid || undefined} aria-describedby={describedBy} className={cn(control, border(invalid))}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}
