/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// COOP/COEP make the page cross-origin isolated (SharedArrayBuffer, precise timers for benches).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The page must open quickly on a phone: a script chunk over 500 kB fails the build. Whatever
 * pushes one over belongs behind a dynamic import, loaded where it is needed.
 */
const CHUNK_LIMIT = 500_000;
const chunkLimit = (): Plugin => ({
  name: 'fixpoint-chunk-limit',
  generateBundle(_options, bundle) {
    for (const c of Object.values(bundle)) {
      const bytes = c.type === 'chunk' ? Buffer.byteLength(c.code) : 0;
      if (bytes > CHUNK_LIMIT) this.error(`${c.fileName} is ${(bytes / 1000).toFixed(1)} kB, over the ${CHUNK_LIMIT / 1000} kB limit: load the heavy part with a dynamic import() where it is needed`);
    }
  },
});

/**
 * Content-Security-Policy of the built page: its own origin only, WebAssembly compiled through
 * 'wasm-unsafe-eval' (not eval), workers and downloads from blob: URLs, thumbnails as data:/blob:
 * images; inline style attributes (React, recharts) but no inline script. Added at build time
 * only: the dev server injects an inline script for hot reload.
 */
const CSP = [
  "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:", "connect-src 'self' data: blob:",
  "font-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'none'",
].join('; ');
const contentSecurityPolicy = (): Plugin => ({
  name: 'fixpoint-csp',
  apply: 'build',
  transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
});

/** The preview server says what each file is; browsers must not guess (MIME sniffing). */
const previewHeaders = { ...isolation, 'X-Content-Type-Options': 'nosniff' };

export default defineConfig({
  plugins: [react(), chunkLimit(), contentSecurityPolicy()],
  worker: { format: 'es', plugins: () => [chunkLimit()] },
  server: { headers: isolation },
  preview: { headers: previewHeaders },
  build: { target: 'es2022', sourcemap: true },
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
