// Runs a time task (jobs/time-runner.ts) in a fresh job process and answers what it measured: the
// timing runs off the main process's event loop, like every engine job, but leaves no job row.
import { crashReason, type JobProcessFactory } from './job-process';
import { parseChildMessage, type TimeResult, type TimeTask } from './protocol';

export function runTimeProbe(
  factory: JobProcessFactory, dataDir: string, task: TimeTask, signal?: AbortSignal, timeoutMs = 300_000,
): Promise<TimeResult> {
  if (signal?.aborted) return Promise.reject(new Error('timing stopped: the job queue is closing'));
  return new Promise((resolve, reject) => {
    const proc = factory({ jobId: 0, dataDir });
    let settled = false;
    const settle = (err: Error | null, result?: TimeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      proc.kill('SIGTERM');
      if (err) reject(err); else resolve(result!);
    };
    const timer = setTimeout(() => settle(new Error(`timing the training steps took over ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    proc.onMessage((raw) => {
      const m = parseChildMessage(raw);
      if (m.type === 'error') settle(new Error(`timing the training steps failed: ${m.message}`));
      else if (m.type === 'done') {
        if (m.result?.kind === 'time') settle(null, m.result);
        else settle(new Error('timing the training steps ended without a result'));
      }
    });
    proc.onExit((info) => settle(new Error(`the timing process ended unexpectedly (${info.signal ? `signal ${info.signal}` : `exit code ${info.code}`})` +
      `${info.stderrTail ? `: ${crashReason(info.stderrTail, 300)}` : ''}`)));
    signal?.addEventListener('abort', () => settle(new Error('timing stopped: the job queue is closing')), { once: true });
    proc.send({ type: 'start', task });
  });
}
