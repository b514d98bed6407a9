#!/usr/bin/env node
// `npx fixpoint`: runs the command line built by `npm run build` (dist-cli/fixpoint.js).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist-cli', 'fixpoint.js');
if (!existsSync(built)) {
  process.stderr.write('fixpoint: the command line is not built yet. Run `npm run build` in the Fixpoint checkout first.\n');
  process.exit(2);
}
const { main } = await import(pathToFileURL(built).href);
process.exitCode = await main(process.argv.slice(2));
