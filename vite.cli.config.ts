// Builds the Node command line (src/cli/main.ts) into dist-cli/fixpoint.js. Dependencies stay
// external (resolved from node_modules at run time); our own TypeScript is bundled.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    ssr: 'src/cli/main.ts',
    outDir: 'dist-cli',
    target: 'node20',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: { output: { entryFileNames: 'fixpoint.js', format: 'es' } },
  },
});
