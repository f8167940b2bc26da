// Job-process side of the ETA before training: pick the backend the training would get, time real steps
// with the chosen options on random images (engine/step-timing.ts), and report the figures.
import { describeBackend, selectBackend } from '../engine/backends/select';
import { timeTraining } from '../engine/step-timing';
import type { RunContext } from './run-context';
import type { TimeTask } from './protocol';

export async function runTiming(task: TimeTask, ctx: RunContext): Promise<void> {
  await ctx.send({ type: 'progress', phase: 'timing', progress: 0, message: 'timing training steps on this machine' });
  const backend = await selectBackend(task.backend);
  const t = await timeTraining({ options: task.options, workers: task.workers, steps: task.steps });
  await ctx.send({ type: 'done', cancelled: false, result: { kind: 'time', ...t, backendDetail: describeBackend(backend) } });
}
