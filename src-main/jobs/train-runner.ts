// Job-process side of training: decode the training images, pick the backend, run the engine's epoch
// loop, write a checkpoint after every epoch and the kept model at the end, and report each step.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describeBackend, selectBackend } from '../engine/backends/select';
import { loadCheckpoint, saveCheckpoint, saveModel } from '../engine/checkpoint';
import { disposeNets } from '../engine/train-step';
import { train, type TrainingSnapshot } from '../engine/trainer';
import { epochMessage, modelValidation, trainingSeconds } from './model-record';
import { trainingPlan } from '../engine/run-plan';
import { describeCrop } from '../engine/patches';
import { resolveCropFor, trainingImageSet } from '../services/image-set';
import { describeRegion, regionOf } from '../shared/region';
import { describeLeftOut } from '../shared/left-out';
import { LOSS_NAMES } from '../shared/vocabulary';
import type { RunContext } from './run-context';
import type { ChildMessage, TrainTask } from './protocol';

const exists = (p: string) => access(p).then(() => true, () => false);

export async function runTraining(task: TrainTask, ctx: RunContext): Promise<void> {
  const send = (m: ChildMessage) => ctx.send(m);
  await send({ type: 'progress', phase: 'starting', progress: 0, message: 'selecting the compute backend' });
  const backend = await selectBackend(task.backend);
  const { isize, nc } = task.options;
  const paths = task.images.map((i) => i.path);

  let resume: TrainingSnapshot | undefined;
  if (task.resumeFrom && (await exists(join(task.resumeFrom.dir, 'checkpoint.json')))) {
    resume = await loadCheckpoint(task.resumeFrom.dir);
    if (resume.epoch < task.resumeFrom.epoch) {
      throw new Error(`checkpoint in ${task.resumeFrom.dir} is at epoch ${resume.epoch}, older than the recorded epoch ${task.resumeFrom.epoch}`);
    }
    // The store may have missed the last epochs (a kill between file and record): replay the history.
    for (const e of resume.history) await send({ type: 'epoch', ...epochMessage(e, resume.bestEpoch) });
    await send({ type: 'checkpoint', epoch: resume.epoch, dir: task.resumeFrom.dir });
  } else if (task.resumeFrom) {
    throw new Error(`cannot resume: the checkpoint of epoch ${task.resumeFrom.epoch} is missing from ${task.resumeFrom.dir}`);
  }
  // The crop scale: a resumed run keeps its checkpoint's; 'auto' is decided from the images.
  // The inspection region and left-out areas: the sets cut and fill every image (a resumed run keeps its checkpoint's).
  const { region, leaveOut } = resume?.options ?? task.options;
  const crop = resume ? { scale: resume.patchScale ?? null, why: 'kept from the checkpoint' } : await resolveCropFor(paths, task.options);
  const patchScale = crop.scale;
  const set = trainingImageSet(paths, { isize, nc, region, leaveOut }, patchScale);
  const leftOut = describeLeftOut(leaveOut);
  const cropLine = `${regionOf(region) ? `region: ${describeRegion(region)}; ` : ''}${leftOut ? `left out: ${leftOut}; ` : ''}crop: ${describeCrop(patchScale, isize)} (${crop.why})`;
  await send({
    type: 'progress', phase: 'training',
    progress: resume ? Math.min(1, resume.epoch / trainingPlan(resume.options, resume.split.train.length).epochs) : 0,
    message: `${describeBackend(backend)}${resume ? `; resuming after epoch ${resume.epoch}` : ''}`,
  });

  const planLines: string[] = [];
  const result = await train({
    set,
    options: task.options,
    resume,
    // 'auto': data-parallel on the CPU cores (wasm runs one thread per worker), one replica on a GPU backend.
    workers: task.workers,
    shouldStop: () => ctx.signal.aborted,
    onProgress: (p) => {
      // The plan's lines (memory and threads, then steps and the timed ETA) stay on show while training runs.
      if (p.phase === 'planning' && p.message) planLines.push(planLines.length ? p.message : `${cropLine}; ${p.message}`);
      const epochs = p.epochs || 1;
      const within = p.phase === 'training' && p.batches ? p.batch / p.batches : p.phase === 'validating' ? 1 : 0;
      send({
        type: 'progress',
        phase: p.phase,
        progress: Math.min(1, Math.max(0, (Math.max(0, p.epoch - 1) + within) / epochs)),
        epoch: p.epoch, epochs: p.epochs, batch: p.batch, batches: p.batches,
        losses: p.losses ? Object.fromEntries(LOSS_NAMES.map((k) => [k, p.losses![k]])) : undefined,
        imagesPerSecond: Number.isFinite(p.imagesPerSecond) ? p.imagesPerSecond : undefined,
        etaSeconds: Number.isFinite(p.etaSeconds) ? p.etaSeconds : undefined,
        message: p.phase === 'validating' && p.message ? p.message : planLines.length ? planLines.join('; ') : undefined,
        tensors: tf.memory().numTensors,
      }).catch(() => undefined); // a closed channel ends this process through 'disconnect'
    },
    onEpoch: async (s) => {
      // Files first (saveCheckpoint renames checkpoint.json into place last), then the record.
      await saveCheckpoint(task.checkpointsDir, s);
      await send({ type: 'epoch', ...epochMessage(s.history[s.history.length - 1], s.bestEpoch) });
      await send({ type: 'checkpoint', epoch: s.epoch, dir: task.checkpointsDir });
    },
  });
  try {
    if (result.stopped && !ctx.saveOnStop) {
      await send({ type: 'done', cancelled: true, result: null });
      return;
    }
    if (result.stopped && !result.snapshot.best) throw new Error('stopped before the first epoch finished: nothing to save');
    await send({ type: 'progress', phase: 'saving', progress: 1, message: 'writing the model' });
    const s = result.snapshot;
    const meta = await saveModel(task.modelDir, { snapshot: s, backend, trainingSetHash: task.fileListHash, trainingHashes: task.images.map((i) => i.hash) });
    await send({
      type: 'done',
      cancelled: result.stopped,
      result: {
        kind: 'train',
        modelDir: task.modelDir,
        epochKept: meta.epochKept,
        epochsRun: s.epoch,
        scoreKind: meta.scoreKind,
        patchScale: meta.patchScale,
        validation: modelValidation(meta),
        backend,
        trainingSeconds: trainingSeconds(meta),
      },
    });
  } finally {
    disposeNets(result.nets);
  }
}
