import { FormatError } from '../types.ts';

export class OnnxFormatError extends FormatError {
  constructor(message: string) {
    super('onnx', message);
    this.name = 'OnnxFormatError';
  }
}

/** Shape as people read it: 1×1×28×28 (a scalar is "scalar"). */
export const dimsText = (dims: readonly number[]): string => (dims.length ? dims.join('×') : 'scalar');
