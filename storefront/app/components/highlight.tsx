import { highlightRuns } from '../lib/highlight.ts';

/** A search highlight: the text as text (escaped by React), the matches as <mark>. */
export function Highlight({ fragment }: { fragment: string }) {
  return (
    <>
      {highlightRuns(fragment).map((run, i) =>
        run.marked ? <mark key={i}>{run.text}</mark> : <span key={i}>{run.text}</span>,
      )}
    </>
  );
}
