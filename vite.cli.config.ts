// Builds the Node command line (src/cli/main.ts) into dist-cli/fixpoint.js. Dependencies stay
// external (resolved from node_modules at run time); our own TypeScript is bundled.
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  build: {
    ssr: true,
    outDir: 'dist-cli',
    target: 'node20',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      input: { fixpoint: 'src/cli/main.ts', 'pool-worker': 'src/cli/pool-worker.ts' },
      output: { entryFileNames: '[name].js', format: 'es' },
    },
  },
});
