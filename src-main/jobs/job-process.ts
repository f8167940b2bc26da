// The job process seen from the main process: a Node child here, an Electron utility process in the app.
// The queue only knows this interface, so both run the same code path.
import type { ParentMessage } from './protocol';

export interface ExitInfo { code: number | null; signal: string | null; stderrTail: string }

export interface JobProcess {
  readonly pid: number | undefined;
  send(message: ParentMessage): void;
  onMessage(listener: (raw: unknown) => void): void;
  /** Called once, when the process has ended for any reason. */
  onExit(listener: (info: ExitInfo) => void): void;
  kill(signal?: NodeJS.Signals): void;
}

/** Which job a process is for; also put on its command line, so `ps` tells job processes apart. */
export interface JobProcessInfo { jobId: number; dataDir: string }

export const processArgs = (info: JobProcessInfo): string[] => [`--job=${info.jobId}`, `--data-dir=${info.dataDir}`];

/** Starts a fresh job process; one per job, so a crash or a wasm heap leak never outlives its job. */
export type JobProcessFactory = (info: JobProcessInfo) => JobProcess;

/**
 * Why a process died, from its stderr's tail, in one line of at most `max` characters: the last line that
 * names an error ("TypeError: …", "Error [ERR_MODULE_NOT_FOUND]: …", "FATAL ERROR: … out of memory"), else
 * its last lines. Node ends a crash with the error's fields and its version ("}", "Node.js v20…"), so the
 * plain last lines said nothing.
 */
export function crashReason(stderrTail: string, max = 500): string {
  const lines = stderrTail.split('\n').map((l) => l.trim()).filter((l) => l && l !== '}' && !/^Node\.js v\d/.test(l));
  const named = lines.filter((l) => /^(\w*Error\b|Error \[|FATAL ERROR)/.test(l)).pop();
  return (named ?? lines.slice(-3).join(' ')).slice(0, max);
}

/** Keeps the last few KiB of the child's stderr, to explain a crash that sent no error message. */
export class TailBuffer {
  private text = '';
  constructor(private readonly max = 4096) {}
  push(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString()).slice(-this.max);
  }
  get value(): string {
    return this.text.trim();
  }
}
