// JobProcess over child_process.fork, running the TypeScript entry through tsx (CLI, `serve`, tests).
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { JobProcess, JobProcessFactory, JobProcessInfo, ExitInfo } from './job-process';
import { processArgs, TailBuffer } from './job-process';
import type { ParentMessage } from './protocol';

export const defaultChildEntry = fileURLToPath(new URL('./child.ts', import.meta.url));

/**
 * tsx's loader as a file URL: a bare `--import tsx` is resolved from the child's working folder, so the CLI
 * run from a folder of parts (`node <checkout>/bin/ganomaly-inspector.js train --db lib.sqlite`) started
 * job processes that could not find tsx and died before their first message. Resolved when a process
 * starts, not on import: the Electron bundle imports this module but starts utility processes instead.
 */
const tsxLoader = (): string => pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface NodeProcessOptions {
  entry?: string;
  env?: NodeJS.ProcessEnv;
  /** Echo the child's stderr to ours (it is always kept for crash messages). */
  echoStderr?: boolean;
}

export function nodeJobProcessFactory(opts: NodeProcessOptions = {}): JobProcessFactory {
  return (info) => startNodeJobProcess(info, opts);
}

export function startNodeJobProcess(info: JobProcessInfo, opts: NodeProcessOptions = {}): JobProcess {
  const child = fork(opts.entry ?? defaultChildEntry, processArgs(info), {
    execArgv: ['--import', tsxLoader()],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: opts.env ?? process.env,
  });
  const tail = new TailBuffer();
  child.stderr?.on('data', (chunk: Buffer) => {
    tail.push(chunk);
    if (opts.echoStderr) process.stderr.write(chunk);
  });
  const exitListeners: Array<(info: ExitInfo) => void> = [];
  let exited: ExitInfo | undefined;
  const finish = (code: number | null, signal: string | null): void => {
    if (exited) return;
    exited = { code, signal, stderrTail: tail.value };
    for (const l of exitListeners) l(exited);
  };
  // 'close' comes after stdio is drained, so the stderr tail is complete.
  child.on('close', (code, signal) => finish(code, signal));
  child.on('error', (err) => {
    tail.push(`\n${err.message}`);
    if (child.exitCode === null && child.signalCode === null && child.pid === undefined) finish(null, null);
  });
  return {
    get pid() { return child.pid; },
    send(message: ParentMessage) {
      if (child.connected) child.send(message);
    },
    onMessage(listener) { child.on('message', listener); },
    onExit(listener) {
      if (exited) listener(exited); else exitListeners.push(listener);
    },
    kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
