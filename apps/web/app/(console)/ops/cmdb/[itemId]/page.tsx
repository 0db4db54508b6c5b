"use client";

import { useParams } from "next/navigation";
import { CmdbItem } from "~/components/cmdb/cmdb-item";

export default function PlatformCmdbItemPage() {
  const { itemId } = useParams<{ itemId: string }>();
  return <CmdbItem itemId={itemId} basePath="/ops/cmdb" canWrite />;
}
