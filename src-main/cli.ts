// The `ganomaly-inspector` command line: each command lives in src-main/cli/<name>.ts and registers itself.
import { Command, CommanderError } from 'commander';
import { register as serve } from './cli/serve';
import { register as train } from './cli/train';
import { register as score } from './cli/score';
import { register as evaluate } from './cli/eval';
import { register as importImages } from './cli/import';
import { register as status } from './cli/status';
import { register as exportScores } from './cli/export';
import { register as resume } from './cli/resume';
import { register as importModel } from './cli/import-model';
import { register as backup } from './cli/backup';
import { register as restore } from './cli/restore';

const program = new Command('ganomaly-inspector')
  .description('Train GANomaly on good parts and rank the parts it finds most anomalous.')
  .showHelpAfterError(false)
  .exitOverride();

// The order here is the order of `--help`.
const commands: Array<(program: Command) => void> = [importImages, train, score, evaluate, resume, importModel, status, exportScores, backup, restore, serve];
for (const register of commands) register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
  } else {
    // One clear line, no stack trace, non-zero exit.
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
