// Entry of the job process (Node fork or Electron utility process). It never touches SQLite: it decodes
// images, runs the engine, writes model/checkpoint/map files, and reports every step to the main process.
import type { ChildMessage, JobTask } from './protocol';
import type { RunContext } from './run-context';
import { parentMessage } from './protocol';
import { runTraining } from './train-runner';
import { runScoring } from './score-runner';
import { runTiming } from './time-runner';

interface Port {
  /** Electron's postMessage has no completion callback: wait a moment before exiting. */
  exitDelayMs: number;
  send(message: ChildMessage): Promise<void>;
  onMessage(listener: (raw: unknown) => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

function connect(): Port {
  const parentPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (parentPort) {
    return {
      exitDelayMs: 200,
      send: async (m) => parentPort.postMessage(m),
      onMessage: (l) => parentPort.on('message', (e) => l(e.data)),
    };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('src-main/jobs/child.ts must be started as a job process (fork with an IPC channel)');
  // The parent died (kill -9 of the app or CLI): stop at once; the parent's next start sees 'interrupted'.
  process.on('disconnect', () => process.exit(0));
  return {
    exitDelayMs: 0,
    send: (m) => new Promise<void>((resolve, reject) => {
      send(m, undefined, undefined, (err) => (err ? reject(err) : resolve()));
    }),
    onMessage: (l) => process.on('message', l),
  };
}


async function run(task: JobTask, ctx: RunContext): Promise<void> {
  if (task.kind === 'train') await runTraining(task, ctx);
  else if (task.kind === 'time') await runTiming(task, ctx);
  else await runScoring(task, ctx);
}

const port = connect();
const abort = new AbortController();
let started = false;

port.onMessage((raw) => {
  const parsed = parentMessage.safeParse(raw);
  if (!parsed.success) {
    void port.send({ type: 'error', message: `job process got a malformed message: ${parsed.error.issues[0]?.message}` });
    return;
  }
  const msg = parsed.data;
  if (msg.type === 'cancel') {
    abort.abort();
    return;
  }
  if (started) return;
  started = true;
  run(msg.task, { send: port.send, signal: abort.signal })
    .catch((err: unknown) => port.send({ type: 'error', message: err instanceof Error ? err.message : String(err) }))
    .catch(() => undefined)
    .finally(() => setTimeout(() => process.exit(0), port.exitDelayMs));
});
