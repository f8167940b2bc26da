// What a runner (train-runner, score-runner) gets from whoever runs it: a way to report each step, and
// the cancel signal it checks every batch. The job process (child.ts) sends the reports to the main
// process; folder-mode CLI commands run the same runners in their own process and read them directly.
import type { ChildMessage } from './protocol';

export interface RunContext {
  send(message: ChildMessage): Promise<void>;
  signal: AbortSignal;
  /**
   * On a stop, save the kept epoch as the model (`train <folder>` on Ctrl-C) instead of discarding the
   * run (a cancelled job, whose checkpoint stays for a resume).
   */
  saveOnStop?: boolean;
}
