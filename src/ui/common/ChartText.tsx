// A chart's text alternative: a sentence a screen reader reads for the figure (point the
// figure's aria-describedby at `id`) and the plotted numbers as a table behind a disclosure,
// for anyone who wants them exactly, with or without sight.
import type { ReactNode } from 'react';

interface Props {
  /** Referenced by the chart figure's aria-describedby. */
  id: string;
  /** What the chart shows and what stands out in it, in words. */
  summary: ReactNode;
  columns: string[];
  rows: (string | number)[][];
}

export function ChartText({ id, summary, columns, rows }: Props) {
  return (
    <div className="chart-text">
      <p id={id} className="sr-only" data-testid="chart-summary">{summary}</p>
      {rows.length > 0 && (
        <details>
          <summary>The numbers ({rows.length} {rows.length === 1 ? 'row' : 'rows'})</summary>
          <div className="scroll">
            <table>
              <thead><tr>{columns.map((c) => <th key={c} scope="col">{c}</th>)}</tr></thead>
              {/* biome-ignore lint/suspicious/noArrayIndexKey: rows and cells are plain text without an identity; a new chart replaces them all */}
              <tbody>{rows.map((r, i) => <tr key={i}>{r.map((v, j) => <td key={j}>{v}</td>)}</tr>)}</tbody>
            </table>
          </div>
        </details>
      )}
    </div>
  );
}
