// A wide table in a box that scrolls sideways on a narrow screen, so the page itself never does.
import type { ReactNode } from 'react';

export function ScrollTable({ testId, head, children }: { testId: string; head: ReactNode; children: ReactNode }) {
  return (
    <div className="scroll">
      <table data-testid={testId}>
        <thead>{head}</thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
