import type { ReactNode } from 'react';

/**
 * The listing's categories and filters. On a phone they fold into one "Categories and filters"
 * line above the products (the products come first on a small screen); from 800 px wide the
 * stylesheet keeps them open beside the list and hides the toggle.
 */
export function SidePanel({ children }: { children: ReactNode }) {
  return (
    <aside className="listing-side">
      <details className="side-panel">
        <summary>Categories and filters</summary>
        <div className="side-panel-body">{children}</div>
      </details>
    </aside>
  );
}
