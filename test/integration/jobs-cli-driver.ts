// A CLI main process for the kill -9 test: `train --db` through runDbTrain (the same code the CLI's
// train command runs with --db), so the test can kill the whole main process, job child included.
import { runDbTrain, type DbTrainFlags } from '../../src-main/cli/db-train';

const [db, flags] = process.argv.slice(2);
await runDbTrain({ db, ...(JSON.parse(flags) as DbTrainFlags) });
