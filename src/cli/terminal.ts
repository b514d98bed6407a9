// Everything the command line prints passes through here. Names come from files (layer names,
// class folders, paths), so control characters are shown escaped instead of reaching the
// terminal: no escape sequences, and a newline in a name cannot split a one-line message.
import { oneLine } from '../core/text.ts';

export const writeErr = (s: string): void => { process.stderr.write(`${oneLine(s)}\n`); };
export const writeOut = (s: string): void => { process.stdout.write(`${oneLine(s)}\n`); };
