// `resume --db <file> [--job <id>]`: continues interrupted training and scoring jobs (after a crash, a
// kill or a closed app) and runs anything still queued: training from its last recorded checkpoint,
// scoring with the images not yet scored.
import type { Command } from 'commander';
import type { Job } from '../store';
import { failIfNotDone, openLibrary, parseId, runJobs, startQueue } from './library-db';

interface ResumeFlags {
  db?: string;
  job?: string;
}

/** The latest attempt per (kind, model): older interrupted attempts of the same work are not resumed twice. */
export function latestAttempts(jobs: Job[]): Job[] {
  const seen = new Set<string>();
  const out: Job[] = [];
  for (const j of [...jobs].sort((a, b) => b.id - a.id)) {
    const key = `${j.kind}:${(j.params as { modelId?: number } | null)?.modelId ?? j.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(j);
  }
  return out;
}

export async function runResume(flags: ResumeFlags): Promise<void> {
  const lib = openLibrary(flags.db, { create: false });
  try {
    const queue = startQueue(lib);
    const ids: number[] = [];
    try {
      if (flags.job !== undefined) {
        ids.push(queue.resume(parseId(flags.job, '--job')).jobId);
      } else {
        const engineJobs = lib.store.jobs.list({ limit: 10_000 }).filter((j) => j.kind !== 'import');
        for (const j of latestAttempts(engineJobs)) {
          if (j.status === 'interrupted') ids.push(queue.resume(j.id).jobId);
          else if (j.status === 'queued' || j.status === 'running') ids.push(j.id);
        }
      }
    } catch (err) {
      await queue.close();
      throw err;
    }
    if (!ids.length) {
      await queue.close();
      process.stdout.write('nothing to resume: no interrupted or queued jobs\n');
      return;
    }
    process.stderr.write(`resuming: job(s) ${ids.join(', ')}\n`);
    const jobs = await runJobs(lib, queue, ids);
    for (const j of jobs) process.stdout.write(`job ${j.id} ${j.kind} ${j.status}: ${j.message ?? ''}\n`);
    failIfNotDone(jobs);
  } finally {
    lib.close();
  }
}

export function register(program: Command): void {
  program
    .command('resume')
    .description('continue interrupted training/scoring jobs of a library and run queued ones')
    .option('--db <file>', 'library database')
    .option('--job <id>', 'resume only this job')
    .action((flags: ResumeFlags) => runResume(flags));
}
