// Display helpers shared by the panels.

export const pct = (x: number, digits = 2): string => `${(x * 100).toFixed(digits)}%`;
export const kb = (x: number): string => (x >= 1024 ? `${(x / 1024).toFixed(2)} MB` : `${x.toFixed(1)} KB`);
export const big = (x: number): string =>
  x >= 1e9 ? `${(x / 1e9).toFixed(2)} G` : x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : String(Math.round(x));
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
