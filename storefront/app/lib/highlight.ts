/**
 * A search highlight fragment as Elasticsearch writes it: the field's text with the matches
 * between `<em>` and `</em>`. The text is the product's own (a seller can name a product
 * `<img src=x onerror=…>`), so it is never HTML: it is split into plain-text runs and marked
 * runs, each rendered as text, and only the marks become elements.
 */
export interface HighlightRun {
  text: string;
  marked: boolean;
}

const MARK = /<em>([\s\S]*?)<\/em>/g;

export function highlightRuns(fragment: string): HighlightRun[] {
  const runs: HighlightRun[] = [];
  let last = 0;
  for (const match of fragment.matchAll(MARK)) {
    const start = match.index;
    if (start > last) runs.push({ text: fragment.slice(last, start), marked: false });
    if (match[1]) runs.push({ text: match[1], marked: true });
    last = start + match[0].length;
  }
  if (last < fragment.length) runs.push({ text: fragment.slice(last), marked: false });
  return runs;
}
