// The seeded three-way split of the user's images (src/search/README.md says why three):
// - search: what the frontier walk scores and ranks on (and where every other method searches);
// - confirmation: what picks the configuration for a budget, never seen by the walk;
// - held-out: re-scores the result and nothing else.
// The defaults use every image: the search part is capped (it sets the search's time), the
// confirmation part too (it is scored once per frontier point), and the rest is held out.
import { seededPermutation } from './random.ts';

export interface SplitOptions {
  seed?: number;
  /** Images to search on (default: 30%, or 30% of a predefined calibration part, at most SEARCH_CAP). */
  search?: number;
  /** Images to confirm on (default: 40%, or the rest of a predefined calibration part, at most CONFIRM_CAP). */
  confirmation?: number;
  /** Held-out images (default: all the rest). */
  heldOut?: number;
  /** The source's own held-out part starts here (Dataset.heldOutFrom). */
  heldOutFrom?: number;
}

export interface Split {
  search: Uint32Array;
  confirmation: Uint32Array;
  heldOut: Uint32Array;
}

export const SEARCH_CAP = 1000;
export const CONFIRM_CAP = 2000;
/**
 * Shares of a data set without a predefined held-out part (held-out: the rest, ≥ 30%). The walk
 * ranks on a 250-image proxy by a smooth distortion and needs few images; the confirmation's
 * margin shrinks with its image count, so it gets the larger share (measured: src/search/README.md).
 */
export const SEARCH_SHARE = 0.3;
export const CONFIRM_SHARE = 0.4;
/** Share of a predefined calibration part that is searched on; the rest confirms. */
export const SEARCH_SHARE_OF_CALIBRATION = 0.3;

/**
 * Seeded split of `count` images. Sizes asked for are taken in order (search, confirmation,
 * held-out) from what there is. A predefined held-out part (heldOutFrom) is kept apart: search
 * and confirmation come from the images before it, each side shuffled on its own.
 */
export function splitIndices(count: number, o: SplitOptions = {}): Split {
  const seed = o.seed ?? 0;
  const predefined = o.heldOutFrom !== undefined && o.heldOutFrom > 0 && o.heldOutFrom < count;
  const calPool = predefined ? seededPermutation(o.heldOutFrom!, seed) : seededPermutation(count, seed);
  const heldPool = predefined ? seededPermutation(count - o.heldOutFrom!, seed + 1).map((i) => i + o.heldOutFrom!) : null;
  // Without a predefined part, the calibration pool leaves at least one image for held-out.
  const calRoom = predefined ? calPool.length : Math.max(0, count - 1);
  const defSearch = predefined
    ? Math.ceil(calRoom * SEARCH_SHARE_OF_CALIBRATION)
    : Math.max(1, Math.round(count * SEARCH_SHARE));
  const search = Math.min(calRoom, o.search ?? Math.min(SEARCH_CAP, defSearch));
  const defConfirm = predefined ? calRoom - search : Math.round(count * CONFIRM_SHARE);
  const confirmation = Math.min(calRoom - search, o.confirmation ?? Math.min(CONFIRM_CAP, defConfirm));
  const s = calPool.slice(0, search);
  const c = calPool.slice(search, search + confirmation);
  const rest = heldPool ?? calPool.slice(search + confirmation);
  return { search: s, confirmation: c, heldOut: rest.slice(0, Math.min(rest.length, o.heldOut ?? rest.length)) };
}
