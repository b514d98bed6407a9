// What the exported C program needs on a device, next to what the cost model (DESIGN.md §5) counts.

/** Memory of the C program, in bytes, and the cost model's figures for the same configuration. */
export interface CSizes {
  /** Constant parameter arrays (flash): packed bit streams and plain arrays. */
  weightBytes: number;
  /** Parameter tensors stored (those whose every value rounds to 0 are left out). */
  tensors: number;
  /** What the cost model counts for the tensors left out: bits·count/8 each. */
  omittedBytes: number;
  /** The static activation arena (RAM). */
  activationBytes: number;
  /** The smallest arena any placement could use: the most bytes of activations live at once. */
  activationLowerBound: number;
  /** The input image the caller passes in. */
  inputBytes: number;
  /** Largest stack buffer a layer function unpacks weights into. */
  unpackBytes: number;
  /** report.json's weights_kb and peak_activation_kb (DESIGN.md §5) in bytes. */
  reportWeightBytes: number;
  reportPeakActivationBytes: number;
}
