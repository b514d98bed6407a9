// Text from files (layer names, class folders, JSON snippets) inside messages: control
// characters shown as escapes, so a message stays one line and cannot carry terminal codes.

// C0 controls, DEL, C1 controls and the Unicode line separators (matching them is the point).
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to escape
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const escaped = (c: string): string => {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** One line of text with its control characters escaped. */
export const oneLine = (s: string): string => s.replace(CONTROL, escaped);
