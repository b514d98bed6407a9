// TensorFlow.js in Node without tfjs-node: the wasm backend (XNNPACK, one thread) for fast
// float inference, and its "install tfjs-node" banner kept off our stdout.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

let ready: Promise<void> | null = null;

export function initTfjsNode(): Promise<void> {
  ready ??= (async () => {
    const log = console.log;
    console.log = () => {};
    try {
      await tf.setBackend('wasm');
      await tf.ready();
    } finally {
      console.log = log;
    }
  })();
  return ready;
}
