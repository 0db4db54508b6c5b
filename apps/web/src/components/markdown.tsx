"use client";

import ReactMarkdown, { type Components } from "react-markdown";

const components: Components = {
  h1: ({ children }) => <h3 className="mt-4 text-lg font-semibold text-slate-900">{children}</h3>,
  h2: ({ children }) => <h3 className="mt-4 text-base font-semibold text-slate-900">{children}</h3>,
  h3: ({ children }) => <h4 className="mt-3 font-medium text-slate-900">{children}</h4>,
  p: ({ children }) => <p className="mt-2 text-sm text-slate-700">{children}</p>,
  ul: ({ children }) => <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-700">{children}</ul>,
  ol: ({ children }) => <ol className="mt-2 list-decimal space-y-1 pl-5 text-sm text-slate-700">{children}</ol>,
  a: ({ children, href }) => (
    <a href={href} className="text-sky-700 underline" rel="noopener noreferrer nofollow" target="_blank">
      {children}
    </a>
  ),
  code: ({ children }) => <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-xs">{children}</code>,
  pre: ({ children }) => <pre className="mt-2 overflow-x-auto rounded-md bg-slate-100 p-3 text-xs">{children}</pre>,
  table: ({ children }) => <table className="mt-2 min-w-full divide-y divide-slate-200 text-sm">{children}</table>,
  th: ({ children }) => <th className="px-2 py-1 text-left font-medium">{children}</th>,
  td: ({ children }) => <td className="px-2 py-1">{children}</td>,
  img: ({ alt }) => <span>{alt}</span>,
};

/**
 * Publishers' markdown, rendered safely: raw HTML is dropped (no rehype-raw),
 * images are shown as their alt text (no tracking pixels), and react-markdown
 * strips javascript: and other unsafe link targets.
 */
export function Markdown({ children }: { children: string }) {
  return (
    <div data-testid="markdown">
      <ReactMarkdown skipHtml components={components}>
        {children}
      </ReactMarkdown>
    </div>
  );
}
