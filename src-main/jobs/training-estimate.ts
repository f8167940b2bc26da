// The ETA before training: the run's plan (engine/run-plan, the trainer's own) and a time per step that
// is measured, never guessed: from this library's last finished run with the same cost-relevant settings,
// backend and threads (its recorded epoch seconds), else from steps timed in a job process on random
// images (engine/step-timing via the queue). Used by the API's `training.estimate` and the CLI's `train`.
import { parseOptions, type GanomalyOptions, type OptionsPatch } from '../engine/options';
import { planLine, planRun, type RunPlan } from '../engine/run-plan';
import type { StepTiming } from '../engine/step-timing';
import type { Store } from '../store';
import type { BackendPreference, TimeResult, WorkersPreference } from './protocol';
import { selectTrainingSet } from './training-set';

/** Options that decide what a training run costs; the rest (loss weights, lr, seed...) do not. crop: a patch
 *  run validates 4 crops per image each epoch and scores whole grids at the end, so only a run with the same
 *  crop choice says how long this one takes. */
export const COST_KEYS = ['isize', 'nc', 'batchSize', 'nz', 'ngf', 'ndf', 'extraLayers', 'crop'] as const;

export interface TrainingEstimate {
  plan: RunPlan;
  /** Seconds for every planned epoch (an upper bound when early stopping may end sooner); null: not measured. */
  seconds: number | null;
  /** 'history': a finished run of this library with the same settings; 'timed': steps timed just now. */
  source: 'history' | 'timed' | null;
  /** Where the time comes from (or why there is none), in words. */
  basis: string;
  /** The plan in words (epochs, steps, early stopping). */
  planText: string;
  /** The time and where it comes from, e.g. "about 9 min (upper bound; early stopping may end sooner) — timed 2 steps ...". */
  eta: string;
  /** Plan and estimate in one line, as the CLI prints it. */
  text: string;
}

/** A finished, never resumed training of this library with the settings asked about. */
export interface HistoryRun {
  modelId: number;
  name: string;
  /** Good images it trained on (training + validation). */
  images: number;
  isize: number;
  epochs: number;
  /** Median seconds of an epoch (steps, precise BatchNorm and validation). */
  epochSeconds: number;
  /** Seconds from the run's start to its end (process start, warm-up and the synthetic check included). */
  wallSeconds: number;
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The latest finished run with the same cost-relevant options, backend preference and threads. */
export function findHistoryRun(
  store: Store, o: GanomalyOptions, backend: BackendPreference, workers: WorkersPreference,
): HistoryRun | null {
  let best: (HistoryRun & { finishedAt: number }) | null = null;
  for (const project of store.projects.list()) {
    for (const m of store.models.list(project.id)) {
      if (m.status !== 'ready') continue;
      const mo = m.options as Partial<GanomalyOptions>;
      if (COST_KEYS.some((k) => mo[k] !== o[k])) continue;
      const runs = store.training.runs(m.id);
      // A resumed model's epochs were timed in several processes: its wall time means nothing.
      if (runs.length !== 1 || runs[0].status !== 'done' || runs[0].finishedAt === null || runs[0].jobId === null) continue;
      const run = runs[0];
      const params = (store.jobs.get(run.jobId!)?.params ?? {}) as { backend?: unknown; workers?: unknown };
      if ((params.backend ?? 'auto') !== backend || JSON.stringify(params.workers ?? 'auto') !== JSON.stringify(workers)) continue;
      const epochs = store.training.epochs(run.id).map((e) => e.seconds).filter((s) => Number.isFinite(s) && s > 0);
      if (epochs.length < 2 || (best && best.finishedAt >= run.finishedAt!)) continue;
      best = {
        modelId: m.id, name: m.name, images: m.trainCount, isize: o.isize, epochs: epochs.length, epochSeconds: median(epochs),
        wallSeconds: (run.finishedAt! - run.startedAt) / 1000, finishedAt: run.finishedAt!,
      };
    }
  }
  if (!best) return null;
  const { finishedAt: _f, ...run } = best;
  return run;
}

/**
 * Every epoch of the plan at the old run's median epoch, plus what its run spent outside its median epochs
 * (process start, warm-up, the synthetic check); all of it scaled by the image count, which steps,
 * precise BatchNorm and validation each grow with.
 */
export function estimateFromHistory(plan: RunPlan, run: HistoryRun): { seconds: number; basis: string } {
  const ratio = plan.images / run.images;
  const fixed = Math.max(0, run.wallSeconds - run.epochs * run.epochSeconds);
  return {
    seconds: ratio * (plan.epochs * run.epochSeconds + fixed),
    basis: `from your last run at isize ${run.isize} ("${run.name}", ${run.images} images, ${run.epochSeconds.toFixed(1)} s an epoch` +
      `${run.images === plan.images ? '' : `, scaled to ${plan.images} images`})`,
  };
}

/**
 * Start (replicas + the warm-up step), every epoch's steps (a short last batch costs its share of a full
 * one), precise BatchNorm over the training images and validation, and the synthetic check at the end
 * (each validation image scored once as it is and twice with a defect). Not counted: decoding the real
 * images, once, in the first epoch.
 */
export function estimateFromTiming(plan: RunPlan, t: StepTiming, batchSize: number): { seconds: number; basis: string } {
  const stepsPerEpoch = Math.max(1, plan.trainImages / batchSize);
  const perEpoch = stepsPerEpoch * t.stepSeconds + Math.min(plan.trainImages, t.bnImageCap) * t.bnSecondsPerImage +
    plan.validationImages * t.validationSecondsPerImage;
  const seconds = t.startSeconds - t.stepSeconds + plan.epochs * perEpoch + 3 * plan.validationImages * t.validationSecondsPerImage;
  return {
    seconds,
    basis: `timed ${t.steps} steps on this machine (${t.stepSeconds.toFixed(2)} s a step of ${batchSize}, ${t.backend}, ` +
      `${t.workers} thread${t.workers === 1 ? '' : 's'})`,
  };
}

export function durationText(seconds: number): string {
  if (seconds < 60) return 'under a minute';
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} min`;
  return `about ${(seconds / 3600).toFixed(1)} h`;
}

export function etaText(plan: RunPlan, seconds: number | null, basis: string): string {
  if (seconds === null) return basis;
  return `${durationText(seconds)}${plan.upperBound ? ' (upper bound; early stopping may end sooner)' : ''} — ${basis}`;
}

export interface EstimateInput {
  projectId: number;
  options?: OptionsPatch;
  backend?: BackendPreference;
  workers?: WorkersPreference;
}

/** What times steps: the job queue (JobQueue.timeTraining), or the API's job service in front of it. */
export interface StepTimer {
  timeTraining(input: { options: GanomalyOptions; backend?: BackendPreference; workers?: WorkersPreference }): Promise<TimeResult>;
}

/** An estimate from its plan and measured time (or the reason there is none). */
export function trainingEstimate(
  plan: RunPlan, o: GanomalyOptions, source: TrainingEstimate['source'], e: { seconds: number | null; basis: string },
): TrainingEstimate {
  const planText = planLine(plan, o);
  const eta = etaText(plan, e.seconds, e.basis);
  return { plan, source, seconds: e.seconds, basis: e.basis, planText, eta, text: `${planText}; ${eta}` };
}

/** The plan and ETA of training this project now. Throws (plain Error) when it cannot train at all. */
export async function estimateTraining(store: Store, timer: StepTimer, input: EstimateInput): Promise<TrainingEstimate> {
  const set = selectTrainingSet(store, input.projectId);
  const o = parseOptions({ ...input.options, nc: input.options?.nc ?? set.nc });
  const plan = planRun(o, set.images.length);
  const backend = input.backend ?? 'auto';
  const workers = input.workers ?? 'auto';
  const done = (source: TrainingEstimate['source'], e: { seconds: number | null; basis: string }) => trainingEstimate(plan, o, source, e);
  const run = findHistoryRun(store, o, backend, workers);
  if (run) return done('history', estimateFromHistory(plan, run));
  try {
    const t = await timer.timeTraining({ options: o, backend, workers });
    return done('timed', estimateFromTiming(plan, t, o.batchSize));
  } catch (err) {
    return done(null, { seconds: null, basis: `time not measured: ${err instanceof Error ? err.message : String(err)}` });
  }
}
