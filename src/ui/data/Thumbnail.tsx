// One calibration image drawn on a canvas at its own size, scaled up by CSS.
import { useEffect, useRef } from 'react';
import type { Sample } from '../../worker/contract.ts';

export function Thumbnail({ sample }: { sample: Sample }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const { width, height, channels, pixels } = sample;
    const img = ctx.createImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      for (let k = 0; k < 3; k++) img.data[i * 4 + k] = pixels[i * channels + (channels === 1 ? 0 : k)];
      img.data[i * 4 + 3] = channels === 4 ? pixels[i * 4 + 3] : 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [sample]);
  const wrong = sample.label !== sample.prediction;
  return (
    <figure className={`thumb${wrong ? ' wrong' : ''}`} data-testid="thumb">
      <canvas ref={ref} width={sample.width} height={sample.height} />
      <figcaption>{sample.label}{wrong ? ` → ${sample.prediction}` : ''}</figcaption>
    </figure>
  );
}
