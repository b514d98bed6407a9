// The mean and std fields: typed text to numbers, or one sentence saying what is wrong with it.

export type Parsed = { values: number[]; error?: undefined } | { values?: undefined; error: string };

/**
 * One value for all channels or one per channel, comma- or space-separated. `channels` is the
 * model's input channel count when known (1 grey, 3 RGB); std must be above 0 (it divides).
 */
export function parseChannelValues(text: string, name: 'mean' | 'std', channels: number | null): Parsed {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (parts.length === 0) return { error: `${name} is empty: enter a number, e.g. ${name === 'mean' ? '0' : '1'}.` };
  const values: number[] = [];
  for (const p of parts) {
    const v = Number(p);
    if (!Number.isFinite(v)) return { error: `${name}: "${p}" is not a number.` };
    values.push(v);
  }
  const allowed = channels === 1 ? [1] : [1, 3];
  if (!allowed.includes(values.length)) {
    return { error: channels === 1
      ? `${name}: the model takes grey images, so give one value (got ${values.length}).`
      : `${name}: give one value for all channels or three (R, G, B); got ${values.length}.` };
  }
  if (name === 'std') {
    const bad = values.find((v) => v <= 0);
    if (bad !== undefined) return { error: `std must be greater than 0 (got ${bad}): every pixel is divided by it.` };
  }
  return { values };
}
