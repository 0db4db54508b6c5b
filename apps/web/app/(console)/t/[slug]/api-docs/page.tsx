"use client";

import { PageHeader } from "@wharf/ui";
import { ApiDocs } from "~/components/api-docs/api-docs";

export default function ApiDocsPage() {
  return (
    <>
      <PageHeader title="API documentation" description="Wharf's public REST API, from its OpenAPI 3.1 description. Paste an API key to try calls live." />
      <ApiDocs />
    </>
  );
}
