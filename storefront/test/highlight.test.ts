import { describe, expect, it } from 'vitest';
import { highlightRuns } from '../app/lib/highlight.ts';

describe('highlightRuns', () => {
  it('splits a fragment into text and marked runs', () => {
    expect(highlightRuns('A <em>spinning</em> reel for <em>bass</em>')).toEqual([
      { text: 'A ', marked: false },
      { text: 'spinning', marked: true },
      { text: ' reel for ', marked: false },
      { text: 'bass', marked: true },
    ]);
  });

  it('keeps any other markup as plain text, to be escaped when rendered', () => {
    const runs = highlightRuns('<img src=x onerror=alert(1)> <em>Reel</em></em><script>');
    expect(runs).toEqual([
      { text: '<img src=x onerror=alert(1)> ', marked: false },
      { text: 'Reel', marked: true },
      { text: '</em><script>', marked: false },
    ]);
    expect(runs.filter((r) => r.marked).map((r) => r.text)).toEqual(['Reel']);
  });

  it('handles fragments without marks, empty marks and marks at the edges', () => {
    expect(highlightRuns('plain')).toEqual([{ text: 'plain', marked: false }]);
    expect(highlightRuns('<em></em>x')).toEqual([{ text: 'x', marked: false }]);
    expect(highlightRuns('<em>all</em>')).toEqual([{ text: 'all', marked: true }]);
    expect(highlightRuns('')).toEqual([]);
  });
});
