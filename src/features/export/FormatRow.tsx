import type { ReactNode } from 'react';

/** One export format in the Export panel: what it is, what you get, its download(s), and how to load it. */
export function FormatRow({ id, title, what, snippet, children, extra }: { id: string; title: string; what: ReactNode; snippet: string | null; children: ReactNode; extra?: ReactNode }) {
  return (
    <li className="export-format" data-testid={`export-format-${id}`}>
      <div className="export-format__text">
        <h3 className="export-format__title">{title}</h3>
        <p className="hint">{what}</p>
      </div>
      <div className="export-format__actions">{children}</div>
      {snippet && (
        <details className="export-format__snippet">
          <summary>How to load it</summary>
          {/* Focusable: the code scrolls sideways on a phone, and keyboard users scroll it too. */}
          <pre tabIndex={0} aria-label={`How to load ${title}`}>
            <code>{snippet}</code>
          </pre>
        </details>
      )}
      {extra}
    </li>
  );
}
