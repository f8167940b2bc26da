// `train <folder> --out <dir>`: trains GANomaly on the good images of a folder and saves the model,
// through the job process's own runner (jobs/train-runner.ts) run here with an in-process context.
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { hashFileList, readModelMeta } from '../engine/checkpoint';
import { parseOptions } from '../engine/options';
import { syntheticLine } from '../engine/synthetic-check';
import { describeCrop } from '../engine/patches';
import { trainingFolder } from '../library/layout';
import { addEngineOptions, engineOptionsFrom, type EngineFlags } from './engine-options';
import { runDbTrain, type DbTrainFlags } from './db-train';
import { andColour, collectImages, printSkip, type FolderImage } from './folder-images';
import { modelChannels, pickTrainingImages } from '../jobs/training-set';
import { formatNumber, formatSeconds } from '../jobs/progress-text';
import type { ChildMessage, ProgressFields, TimeResult, TrainTask } from '../jobs/protocol';
import { planRun } from '../engine/run-plan';
import { runTiming } from '../jobs/time-runner';
import { estimateFromTiming, trainingEstimate, type TrainingEstimate } from '../jobs/training-estimate';
import { runTraining } from '../jobs/train-runner';
import { ProgressLine } from './progress-line';

interface TrainFlags extends EngineFlags, DbTrainFlags {
  out?: string;
  resume?: boolean;
}

/** The folder's training images, by the library's rule (jobs/training-set.ts). */
export function trainingImages(images: FolderImage[]): FolderImage[] {
  return pickTrainingImages(images).images;
}

function describe(p: ProgressFields): string {
  const l = p.losses;
  const losses = l ? ` errD ${formatNumber(l.errD, 3)} errG ${formatNumber(l.errG, 4)} (adv ${formatNumber(l.errGAdv, 3)} con ${formatNumber(l.errGCon, 3)} enc ${formatNumber(l.errGEnc, 3)})` : '';
  return `epoch ${p.epoch}/${p.epochs} batch ${p.batch}/${p.batches}${losses} ${(p.imagesPerSecond ?? 0).toFixed(1)} img/s ETA ${formatSeconds(p.etaSeconds ?? NaN)}`;
}

/** The runner's messages as terminal lines: backend, plan, live progress, one line per finished epoch. */
function printer(log: ProgressLine, trainingLine: string): (m: ChildMessage) => void {
  let started = false; // epochs before the first 'training' report are a resume's replayed history
  let plan = '';
  return (m) => {
    if (m.type === 'progress' && m.phase === 'training' && !started) {
      started = true;
      if (m.message) log.log(m.message); // the backend (and where a resume starts)
      log.log(trainingLine);
    } else if (m.type === 'progress' && m.phase === 'planning') {
      // The runner repeats the plan's lines so far, joined: print only the new one.
      if (m.message && m.message !== plan) log.log(plan && m.message.startsWith(plan) ? m.message.slice(plan.length + 2) : m.message);
      plan = m.message ?? plan;
    } else if (m.type === 'progress' && m.phase === 'training' && m.batches) {
      log.update(describe(m));
    } else if (m.type === 'epoch' && started) {
      const ips = m.imagesPerSecond === undefined ? '' : ` (${m.imagesPerSecond.toFixed(1)} img/s)`;
      log.log(`epoch ${m.epoch}: train errG ${formatNumber(m.losses.errG)} errD ${formatNumber(m.losses.errD)}, validation errGCon ${formatNumber(m.validation.errGCon)}, ` +
        `${m.seconds.toFixed(1)} s${ips}${m.bestEpoch === m.epoch ? ' [kept]' : ''}`);
    }
  };
}

/** Times steps with the task's options through the job process's own timing runner, run here. */
async function timedEstimate(task: TrainTask, images: number): Promise<TrainingEstimate> {
  let result: TimeResult | undefined;
  let failure = '';
  await runTiming({ kind: 'time', options: task.options, backend: task.backend, workers: task.workers, steps: 2 }, {
    signal: new AbortController().signal,
    send: async (m) => {
      if (m.type === 'done' && m.result?.kind === 'time') result = m.result;
      if (m.type === 'error') failure = m.message;
    },
  }).catch((err: unknown) => { failure = err instanceof Error ? err.message : String(err); });
  const plan = planRun(task.options, images);
  return trainingEstimate(plan, task.options, result ? 'timed' : null, result
    ? estimateFromTiming(plan, result, task.options.batchSize)
    : { seconds: null, basis: `time not measured: ${failure || 'no result'}` });
}

export async function trainFolder(folder: string, flags: TrainFlags): Promise<void> {
  if (!flags.out) throw new Error('train <folder> needs --out <model-dir> (or --db <file> to train a library project)');
  const out = resolve(flags.out);
  const root = trainingFolder(resolve(folder));
  const log = new ProgressLine();
  // The flags are checked before the folder is read: a wrong --isize should not wait for thousands of decodes.
  parseOptions(engineOptionsFrom(flags));
  const images = trainingImages(await collectImages([root], printSkip));
  if (images.length < 3) throw new Error(`${root}: ${images.length} usable good image(s); training needs at least 3`);
  const nc = modelChannels(images);
  const options = parseOptions({ ...engineOptionsFrom(flags), nc });
  const checkpointsDir = join(out, 'checkpoint');
  if (flags.resume && !(await access(join(checkpointsDir, 'checkpoint.json')).then(() => true, () => false))) {
    throw new Error(`--resume: no checkpoint in ${checkpointsDir}`);
  }
  const task: TrainTask = {
    kind: 'train', jobId: 0, modelId: 0, options,
    images: images.map((i, id) => ({ id, path: i.path, hash: i.hash })),
    fileListHash: hashFileList(images.map((i) => i.path)),
    modelDir: out, checkpointsDir,
    // On a resume the checkpoint's options and split are used; only --epochs may change.
    resumeFrom: flags.resume ? { epoch: 0, dir: checkpointsDir } : null,
    backend: flags.backend ?? 'auto',
    workers: flags.workers ?? 'auto',
  };

  // The plan and its ETA before the first step: 2 steps timed here (a folder has no earlier runs to go by).
  // A resume keeps its checkpoint's plan; the trainer states what is left after its second step.
  if (!flags.resume) log.log(`plan: ${(await timedEstimate(task, images.length)).text}`);
  const print = printer(log, `training on ${images.length} images from ${root} (${nc === 1 ? 'gray' : 'RGB'}, isize ${options.isize})${andColour(images)}`);
  const stop = new AbortController();
  const onSigint = () => {
    stop.abort();
    log.log('stopping after this batch (the last finished epoch is kept in the checkpoint)');
  };
  let stopped = false;
  process.once('SIGINT', onSigint);
  try {
    await runTraining(task, {
      signal: stop.signal,
      saveOnStop: true,
      send: async (m) => {
        print(m);
        if (m.type === 'done') stopped = m.cancelled;
      },
    });
    const meta = await readModelMeta(out);
    log.log(`${stopped ? `stopped after epoch ${meta.epochsTrained} (--resume continues the run); ` : ''}model saved to ${out} (epoch ${meta.epochKept} of ${meta.epochsTrained} kept, ` +
      `score kind ${meta.scoreKind}${meta.options.scoreKind === 'auto' ? ', chosen on synthetic defects' : ''})`);
    if (meta.synthetic) log.log(syntheticLine(meta.synthetic, meta.scoreKind));
    log.log(`crop: ${describeCrop(meta.patchScale, meta.isize)}${meta.options.crop === 'auto' ? ' (auto)' : ''}`);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export function register(program: Command): void {
  addEngineOptions(
    program
      .command('train')
      .description('train GANomaly on the good images under <folder> (or <folder>/train/good in the MVTec layout), ' +
        'or with --db on a library project\'s good images')
      .argument('[folder]', 'folder of images (folder mode)')
      .option('--out <dir>', 'folder mode: where to save the model')
      .option('--resume', 'folder mode: continue from the checkpoint in --out')
      .option('--db <file>', 'library mode: the library database')
      .option('--project <name>', 'library mode: the project to train on (default: "default", else the only one)')
      .option('--name <name>', 'library mode: a name for the model'),
  ).action((folder: string | undefined, flags: TrainFlags) => {
    if (flags.db) {
      if (folder) throw new Error('train: give either a <folder> (folder mode) or --db <file> (library mode), not both');
      return runDbTrain(flags);
    }
    if (!folder) throw new Error('train needs a <folder> of good images (or --db <file> to train a library project)');
    return trainFolder(folder, flags);
  });
}
