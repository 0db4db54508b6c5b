/** The partner terms, short enough to read before accepting them. */
export function PartnerTerms() {
  return (
    <ol className="list-decimal space-y-2 pl-5 text-sm text-slate-700">
      <li>You use the Wharf API only for the purpose you describe in your application, and tell the operators before you change it.</li>
      <li>API keys are secrets: keep them out of source code and client apps, and revoke a key as soon as you suspect it leaked.</li>
      <li>Stay within your rate limit. Do not try to get around it with more keys or organisations.</li>
      <li>Data you read through the API belongs to the organisations that granted you access; do not sell or share it.</li>
      <li>The operators may suspend access that breaks these terms or endangers the platform, and tell you why.</li>
    </ol>
  );
}
