// A progress bar and remaining time a person can believe. The search's fraction is a coarse,
// method-specific guess that can stall or leap, so: the bar never moves back; no time is shown
// until a few seconds and a few percent are in ("estimating…"); the estimate then counts down
// with the clock and leans towards each fresh one only gradually (rate-limited), so it does not jump; and
// near the end it says "finishing…" rather than "about 1 s left".

/** No estimate before this much time and progress. */
const MIN_SECONDS = 3;
const MIN_FRACTION = 0.03;
/** Seconds for the shown estimate to move most of the way to a fresh one. */
const SMOOTHING_SECONDS = 6;

export interface EtaView {
  /** 0..1, never decreasing. */
  fraction: number;
  /** Seconds left, or null while estimating and when finishing. */
  seconds: number | null;
  text: string;
}

export class EtaEstimator {
  private fraction = 0;
  private eta: number | null = null;
  private at = 0;
  private done = false;

  /** A progress message: the search's fraction at `now` seconds since the run started. */
  update(fraction: number, now: number, done = false): void {
    if (done) this.done = true;
    if (fraction > this.fraction) this.fraction = Math.min(1, fraction);
    if (this.done || now < MIN_SECONDS || this.fraction < MIN_FRACTION) return;
    const fresh = (now * (1 - this.fraction)) / this.fraction;
    if (this.eta === null) {
      this.eta = fresh;
    } else {
      const predicted = Math.max(0, this.eta - (now - this.at));
      const dt = now - this.at;
      const w = 1 - Math.exp(-dt / SMOOTHING_SECONDS);
      // And never faster than about 6% of the estimate per second, so a leap in the
      // fraction reads as a quicker countdown, not a jump.
      const cap = (0.5 + 0.06 * predicted) * dt;
      this.eta = predicted + Math.max(-cap, Math.min(cap, w * (fresh - predicted)));
    }
    this.at = now;
  }

  /** What to show at `now`: the estimate keeps counting down between messages. */
  read(now: number): EtaView {
    if (this.done || this.fraction >= 0.999) return { fraction: this.done ? 1 : this.fraction, seconds: null, text: 'finishing…' };
    if (this.eta === null) return { fraction: this.fraction, seconds: null, text: 'estimating time left…' };
    const left = this.eta - (now - this.at);
    if (left < 1.5) return { fraction: this.fraction, seconds: null, text: 'finishing…' };
    return { fraction: this.fraction, seconds: left, text: `about ${roughly(left)} left` };
  }
}

/** 7 s, 25 s (5 s steps from 20 s), 2 min 30 s (30 s steps from 2 min), 12 min. */
export function roughly(s: number): string {
  if (s < 20) return `${Math.round(s)} s`;
  if (s < 120) return `${Math.round(s / 5) * 5} s`;
  if (s < 600) {
    const half = Math.round(s / 30);
    return half % 2 ? `${Math.floor(half / 2)} min 30 s` : `${half / 2} min`;
  }
  return `${Math.round(s / 60)} min`;
}
