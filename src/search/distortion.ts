// How far a configuration's outputs moved from the float model's: the mean over images of
// KL(softmax(float logits) ‖ softmax(quantized logits)). Every image contributes a little, so
// it ranks candidate steps far more finely than counting changed answers on a few hundred
// images, where most steps change none or one.

/** The float model's output distribution per image, prepared once per image set. */
export class FloatOutputs {
  private readonly logP: Float64Array;
  private readonly p: Float64Array;

  constructor(floatLogits: Float32Array, readonly classes: number) {
    this.logP = new Float64Array(floatLogits.length);
    this.p = new Float64Array(floatLogits.length);
    const n = floatLogits.length / classes;
    for (let i = 0; i < n; i++) {
      logSoftmax(floatLogits, i * classes, classes, this.logP);
      for (let c = 0; c < classes; c++) this.p[i * classes + c] = Math.exp(this.logP[i * classes + c]);
    }
  }

  get count(): number {
    return this.p.length / this.classes;
  }

  /** Σ KL over `count` images starting at image `first`; `logits` holds those images only. */
  klSum(logits: ArrayLike<number>, first: number, count: number): number {
    const C = this.classes;
    const logQ = new Float64Array(C);
    let sum = 0;
    for (let i = 0; i < count; i++) {
      logSoftmax(logits, i * C, C, logQ, 0);
      const o = (first + i) * C;
      let kl = 0;
      for (let c = 0; c < C; c++) {
        const p = this.p[o + c];
        if (p > 0) kl += p * (this.logP[o + c] - logQ[c]);
      }
      sum += kl > 0 ? kl : 0;
    }
    return sum;
  }
}

function logSoftmax(z: ArrayLike<number>, at: number, C: number, out: Float64Array, outAt = at): void {
  let m = -Infinity;
  for (let c = 0; c < C; c++) if (z[at + c] > m) m = z[at + c];
  if (!Number.isFinite(m)) m = 0;
  let s = 0;
  for (let c = 0; c < C; c++) s += Math.exp(z[at + c] - m);
  const lse = m + Math.log(s);
  for (let c = 0; c < C; c++) out[outAt + c] = z[at + c] - lse;
}
