"use client";

import { useState } from "react";
import { Alert, Button, Card, TextField } from "@wharf/ui";

/** A new key, shown this once: Wharf keeps only its hash. */
export function ShownOnceToken({ title, token, onDone }: { title: string; token: string; onDone: () => void }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <Card data-testid="new-api-key">
      <h2 className="mb-3 font-medium">{title}</h2>
      <Alert tone="warning" title="Copy this key now: it will not be shown again">
        Wharf stores only a hash of it. If you lose it, rotate the key or create another one.
      </Alert>
      <div className="mt-3 flex flex-wrap items-end gap-2">
        <TextField
          label="API key"
          name="token"
          value={token}
          readOnly
          spellCheck={false}
          autoComplete="off"
          className="min-w-0 flex-1 font-mono"
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button
          variant="secondary"
          onClick={() => {
            navigator.clipboard.writeText(token).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Done
        </Button>
      </div>
      {copied === false ? <p className="mt-2 text-sm text-red-600">The browser refused to copy: select the key and copy it yourself.</p> : null}
    </Card>
  );
}
