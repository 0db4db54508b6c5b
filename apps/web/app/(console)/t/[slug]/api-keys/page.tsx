"use client";

import { useState } from "react";
import type { ApiKeyView } from "@wharf/contracts";
import { Alert } from "@wharf/ui";
import { ApiKeysTable } from "~/components/api-keys/api-keys-table";
import { CreateApiKeyForm } from "~/components/api-keys/create-api-key-form";
import { RotateApiKeyPanel } from "~/components/api-keys/rotate-api-key-panel";
import { ShownOnceToken } from "~/components/api-keys/shown-once-token";
import { useCurrentOrg } from "~/components/current-org";

export default function ApiKeysPage() {
  const org = useCurrentOrg();
  // The new key lives only in this state: gone on reload, never fetched again.
  const [revealed, setRevealed] = useState<{ title: string; token: string } | null>(null);
  const [rotating, setRotating] = useState<ApiKeyView | null>(null);

  if (org.role !== "OWNER" && org.role !== "ADMIN") {
    return (
      <Alert title="Only admins and owners manage API keys">
        A key acts for the whole of {org.name}. Ask an admin or owner to create one for you.
      </Alert>
    );
  }
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600">
        Keys let scripts and services call the Wharf API as {org.name}, within the scopes you choose. Send one as <code>Authorization: Bearer wharf_…</code>.
      </p>
      {revealed ? <ShownOnceToken title={revealed.title} token={revealed.token} onDone={() => setRevealed(null)} /> : null}
      {rotating ? (
        <RotateApiKeyPanel
          key={rotating.id}
          apiKey={rotating}
          onCancel={() => setRotating(null)}
          onRotated={(created) => {
            setRotating(null);
            setRevealed({ title: `New key for ${created.key.name}`, token: created.token });
          }}
        />
      ) : null}
      <CreateApiKeyForm onCreated={(created) => setRevealed({ title: `Your new key ${created.key.name}`, token: created.token })} />
      <ApiKeysTable
        onRotate={(key) => {
          setRevealed(null);
          setRotating(key);
        }}
      />
    </div>
  );
}
