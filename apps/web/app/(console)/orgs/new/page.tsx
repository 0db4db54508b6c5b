"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Card, PageHeader, TextField } from "@wharf/ui";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const slugify = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);

export default function NewOrganizationPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const create = useMutation(
    trpc.orgs.create.mutationOptions({
      onSuccess: async (org) => {
        // The new organisation is in the list before the page that needs it opens: a refetch
        // that is slow or fails must not make that page say it does not exist.
        queryClient.setQueryData(trpc.orgs.mine.queryKey(), (mine) => [...(mine ?? []).filter((o) => o.id !== org.id), { ...org, role: "OWNER" as const }]);
        await queryClient.invalidateQueries({ queryKey: trpc.orgs.mine.pathKey() });
        router.push(`/t/${org.slug}`);
      },
    }),
  );
  const failure = create.error ? describeError(create.error) : null;

  return (
    <div className="max-w-lg">
      <PageHeader title="New organisation" description="You will be its owner. You can invite others afterwards." />
      <Card>
        <form
          className="space-y-4"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name, slug });
          }}
        >
          {failure && !failure.fieldErrors.name && !failure.fieldErrors.slug ? <Alert tone="error">{failure.message}</Alert> : null}
          <TextField
            label="Name"
            name="name"
            value={name}
            required
            error={failure?.fieldErrors.name}
            onChange={(e) => {
              setName(e.target.value);
              if (!slugEdited) setSlug(slugify(e.target.value));
            }}
          />
          <TextField
            label="Address"
            name="slug"
            value={slug}
            required
            hint="Lowercase letters, digits and dashes; used in links."
            error={failure?.fieldErrors.slug}
            onChange={(e) => {
              setSlugEdited(true);
              setSlug(e.target.value);
            }}
          />
          <Button type="submit" busy={create.isPending}>
            Create organisation
          </Button>
        </form>
      </Card>
    </div>
  );
}
