// JobProcess over Electron's utilityProcess.fork. Electron is passed in, not imported, so this module
// type-checks against electron's types everywhere but only runs inside the app:
//   new JobQueue({ ..., processFactory: electronJobProcessFactory(utilityProcess, childEntryPath) })
// The entry must be the bundled JavaScript of src-main/jobs/child.ts (an extra electron-vite main entry).
import type { utilityProcess as UtilityProcessModuleValue } from 'electron';
import type { JobProcessFactory, ExitInfo } from './job-process';
import { processArgs, TailBuffer } from './job-process';
import type { ParentMessage } from './protocol';

type UtilityProcessModule = Pick<typeof UtilityProcessModuleValue, 'fork'>;

export function electronJobProcessFactory(utilityProcess: UtilityProcessModule, entry: string): JobProcessFactory {
  return (info) => {
    const child = utilityProcess.fork(entry, processArgs(info), { serviceName: 'GANomaly job', stdio: ['ignore', 'ignore', 'pipe'] });
    const tail = new TailBuffer();
    child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));
    const exitListeners: Array<(info: ExitInfo) => void> = [];
    let exited: ExitInfo | undefined;
    let killedWith: string | null = null;
    child.once('exit', (code: number) => {
      exited = { code, signal: killedWith, stderrTail: tail.value };
      for (const l of exitListeners) l(exited);
    });
    return {
      get pid() { return child.pid; },
      send(message: ParentMessage) {
        if (!exited) child.postMessage(message);
      },
      onMessage(listener) { child.on('message', listener); },
      onExit(listener) {
        if (exited) listener(exited); else exitListeners.push(listener);
      },
      kill(signal = 'SIGTERM') {
        if (exited) return;
        killedWith = signal;
        // utilityProcess.kill() sends SIGTERM; a hard kill goes through the pid.
        if (signal === 'SIGKILL' && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
        else child.kill();
      },
    };
  };
}
