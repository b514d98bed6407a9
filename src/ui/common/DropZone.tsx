// A drop target that also offers file and folder pickers (keyboard users and tests use them).
import { useRef, useState, type ReactNode } from 'react';
import type { FileEntry } from '../../formats/types.ts';
import { readDataTransfer, readFileList } from './read-drop.ts';

interface Props {
  label: string;
  hint: ReactNode;
  accept?: string;
  folders?: boolean;
  busy?: boolean;
  testId: string;
  /** Called at once with the files still being read, so the page can say so before they arrive. */
  onFiles(files: Promise<FileEntry[]>): void;
}

export function DropZone({ label, hint, accept, folders, busy, testId, onFiles }: Props) {
  const [over, setOver] = useState(false);
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  return (
    <div
      className={`dropzone${over ? ' over' : ''}${busy ? ' busy' : ''}`}
      data-testid={testId}
      onDragOver={(e) => { e.preventDefault(); setOver(true); }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => { e.preventDefault(); setOver(false); onFiles(readDataTransfer(e.dataTransfer)); }}
    >
      <strong>{label}</strong>
      <div className="hint">{hint}</div>
      <div className="pickers">
        <button type="button" className="secondary" disabled={busy} onClick={() => files.current?.click()}>Choose files…</button>
        {folders && <button type="button" className="secondary" disabled={busy} onClick={() => folder.current?.click()}>Choose a folder…</button>}
      </div>
      <input ref={files} type="file" multiple accept={accept} hidden data-testid={`${testId}-files`}
        onChange={(e) => { if (e.target.files) onFiles(readFileList(e.target.files)); e.target.value = ''; }} />
      {folders && (
        <input ref={folder} type="file" hidden data-testid={`${testId}-folder`}
          {...({ webkitdirectory: '', directory: '' } as Record<string, string>)}
          onChange={(e) => { if (e.target.files) onFiles(readFileList(e.target.files)); e.target.value = ''; }} />
      )}
    </div>
  );
}
