// The `fixpoint` command line (DESIGN.md §8). Exit status 0 on success, 2 on bad arguments or
// input, with one clear line on stderr; progress goes to stderr, results to stdout.
import { UsageError, parseArgs } from './args.ts';
import { EVAL_FLAGS, evalCommand } from './eval.ts';

const HELP = `fixpoint — fixed-point quantization of CNNs

  fixpoint eval [--model PATH] [--data PATH] [--json]   float accuracy of a model
  fixpoint help                                         this text

Without --model and --data, the demo (LeNet-5 on MNIST digits) is used.
`;

export async function main(argv: string[]): Promise<number> {
  try {
    const command = argv[0] ?? 'help';
    switch (command) {
      case 'eval':
        return await evalCommand(parseArgs(argv, EVAL_FLAGS));
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(HELP);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"; try fixpoint help`);
    }
  } catch (e) {
    const known = e instanceof UsageError || (e instanceof Error && e.name.endsWith('FormatError'));
    process.stderr.write(`fixpoint: ${e instanceof Error ? e.message : String(e)}\n`);
    if (!known && e instanceof Error && process.env.FIXPOINT_DEBUG) process.stderr.write(`${e.stack}\n`);
    return known ? 2 : 1;
  }
}
