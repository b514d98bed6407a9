// The `fixpoint` command line (DESIGN.md §8). Exit status 0 on success, 2 on bad arguments or
// input, with one clear line on stderr; progress goes to stderr, results to stdout.
import { LimitError } from '../core/limits.ts';
import { FormatError } from '../formats/types.ts';
import { UsageError, parseArgs } from './args.ts';
import { BENCH_FLAGS, benchCommand } from './bench.ts';
import { EVAL_FLAGS, evalCommand } from './eval.ts';
import { QUANTIZE_FLAGS, quantizeCommand } from './quantize.ts';
import { writeErr } from './terminal.ts';

const HELP = `fixpoint — fixed-point quantization of CNNs

  fixpoint eval  [--model PATH] [--data PATH] [--json] [--range 0,1] [--mean M] [--std S]
                 [--resize HxW] [--search N] [--confirmation N] [--validation N] [--seed 0]
                 float accuracy of a model on the search and held-out images
  fixpoint quantize [--model PATH] [--data PATH] [--budget 1] [--method frontier|paper|naive|uniform]
                 [--bits 8] [--search N] [--confirmation N] [--validation N] [--range 0,1] [--mean M[,M,M]]
                 [--std S[,S,S]] [--resize HxW] [--workers N] [--seed 0] [--out DIR]
                 [--export json,c,tfjs,report] [--force] [--strict] [--confirm-z 1.28] [--confidence 0]
                 search per-tensor formats within the loss budget (percent); writes DIR/report.json.
                 --strict: exit status 3 when the held-out loss is above the budget
  fixpoint bench [--json] [--images 1000] [--repeats 3] [--batch 32] [--evaluations 40] [--skip engine,search,workers]
                 [--model PATH] [--data PATH] [--float-passes]
                 speed ratios measured in one run (engine vs TensorFlow.js, search optimisations, workers)
  fixpoint help  this text

--model: a model.json (shards beside it), .h5, .keras or .onnx file. --data: a folder of class
sub-folders, a .zip of one, a folder with an IDX pair, or a flat folder of unlabeled images.
Without them, the demo (LeNet-5 on MNIST digits) is used.

Images are split (seeded) into search, confirmation and held-out parts. By default every image
is used: 30% / 40% / the rest, with at most 1,000 search and 2,000 confirmation images (a data set
with its own test part, like the demo's, keeps it as the held-out part and splits the rest 30 / 70).
--calibration is the older name of --search.
`;

export async function main(argv: string[]): Promise<number> {
  try {
    const command = argv[0] ?? 'help';
    switch (command) {
      case 'eval':
        return await evalCommand(parseArgs(argv, EVAL_FLAGS));
      case 'quantize':
        return await quantizeCommand(parseArgs(argv, QUANTIZE_FLAGS));
      case 'bench':
        return await benchCommand(parseArgs(argv, BENCH_FLAGS));
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(HELP);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"; try fixpoint help`);
    }
  } catch (e) {
    const known = e instanceof UsageError || e instanceof FormatError || e instanceof LimitError || (e instanceof Error && 'format' in e);
    writeErr(`fixpoint: ${e instanceof Error ? e.message : String(e)}`);
    if (!known && e instanceof Error && process.env.FIXPOINT_DEBUG) process.stderr.write(`${e.stack}\n`);
    return known ? 2 : 1;
  }
}
