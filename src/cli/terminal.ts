// Everything the command line prints passes through here. Names come from files (layer names,
// class folders, paths), so control characters are shown escaped instead of reaching the
// terminal: no escape sequences, and a newline in a name cannot split a one-line message.

// C0 controls, DEL and C1 controls; the line-separating ones too.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const escapeChar = (c: string): string => {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** One line of text, safe to print: control characters escaped. */
export const termLine = (s: string): string => s.replace(CONTROL, escapeChar);

/** Text of several lines, each made safe; the line breaks of the text itself are kept. */
export const termText = (s: string): string => s.split('\n').map(termLine).join('\n');

export const writeErr = (s: string): void => { process.stderr.write(`${termLine(s)}\n`); };
export const writeOut = (s: string): void => { process.stdout.write(`${termLine(s)}\n`); };
