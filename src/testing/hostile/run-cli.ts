// The command line from source, as the hostile corpus runs it in a child process under a
// memory limit (`node --max-old-space-size=1024 --import tsx src/testing/hostile/run-cli.ts …`).
import { main } from '../../cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
