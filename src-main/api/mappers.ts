// Store rows -> the contract's shapes (ISO times, media URLs, names split from paths).
import { basename } from 'node:path';
import { storedOptions } from '../engine/options';
import { LOSS_NAMES } from '../shared/vocabulary';
import type { ImageRow, ModelRow, Review, Threshold, TrainingEpoch, TrainingRun as StoreRun, Job } from '../store';
import type { RankedImage as StoreRanked } from '../store';
import type { ApiContext } from './context';
import { iso, isoOrNull } from './context';
import type * as T from './types';

type ImageLike = Pick<ImageRow, 'path' | 'hash' | 'folder' | 'label' | 'split' | 'defectType' | 'missing'> & { id: number };

/** Part of a media address that changes with the file's content (see MediaRef.version). */
export const imageVersion = (img: Pick<ImageRow, 'hash'>): string => img.hash.slice(0, 16);

/** The folder's own name as the user knows it: for an uploaded copy the folder it was dropped in ('' for a loose file). */
function folderName(ctx: ApiContext, folder: string): string {
  const dropped = ctx.uploads.droppedAs(folder);
  return dropped === null ? basename(folder) : dropped.split('/').pop()!;
}

export function imageSummary(ctx: ApiContext, img: ImageLike & Partial<ImageRow>): T.ImageSummary {
  return {
    id: img.id,
    path: img.path,
    name: basename(img.path),
    folder: img.folder,
    folderName: folderName(ctx, img.folder),
    label: img.label,
    split: img.split,
    defectType: img.defectType,
    width: img.width ?? 0,
    height: img.height ?? 0,
    channels: img.channels ?? 0,
    missing: img.missing,
    thumbUrl: ctx.mediaUrl({ imageId: img.id, variant: 'thumb', modelId: null, version: imageVersion(img) }),
    originalUrl: ctx.mediaUrl({ imageId: img.id, variant: 'original', modelId: null, version: imageVersion(img) }),
    uploaded: ctx.uploads.holds(img.path),
  };
}

export function reviewRow(r: Review): T.ReviewRow {
  return {
    id: r.id,
    imageId: r.imageId,
    modelId: r.modelId,
    decision: r.decision,
    note: r.note ?? '',
    createdAt: iso(r.createdAt),
    reverts: r.reverts,
    reviewer: r.reviewer,
  };
}

/** The images a model trained and validated on, for marking its ranked rows (fixed once it is trained). */
export function trainedIds(ctx: ApiContext, modelId: number): ReadonlySet<number> {
  return ctx.memo.get(`trained-ids:${modelId}`, () => new Set(ctx.store.models.trainImageIds(modelId)));
}

export function rankedImage(ctx: ApiContext, r: StoreRanked, rank: number, latest: Review | undefined, trained: ReadonlySet<number>): T.RankedImage {
  return {
    ...imageSummary(ctx, { ...r, id: r.imageId }),
    rank,
    score: r.score,
    calibrated: r.calibrated,
    percentile: r.percentile,
    flagged: r.flagged === true,
    uncertain: r.uncertain,
    review: latest ? reviewRow(latest) : null,
    trained: trained.has(r.imageId),
  };
}

export function thresholdRow(t: Threshold): T.ThresholdRow {
  return { id: t.id, modelId: t.modelId, value: t.value, lower: t.lower, source: t.source, createdAt: iso(t.createdAt) };
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function backendOf(v: unknown): T.BackendInfo | null {
  const b = asRecord(v);
  if (!b || typeof b.name !== 'string') return null;
  return {
    name: b.name as T.BackendName,
    gpu: b.gpu === true,
    threads: typeof b.threads === 'number' ? b.threads : 1,
    detail: typeof b.detail === 'string' ? b.detail : '',
    ...(typeof b.adapter === 'string' ? { adapter: b.adapter } : {}),
    ...(typeof b.reason === 'string' ? { reason: b.reason } : {}),
  };
}

/** Validation statistics without their score samples (thousands of numbers the UI lists never need). */
function withoutSamples(v: unknown): Record<string, unknown> | null {
  const o = asRecord(v);
  if (!o) return null;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) {
    if (Array.isArray(x) && x.length > 50) continue;
    out[k] = asRecord(x) ? withoutSamples(x) : x;
  }
  return out;
}

/** How many images a model trained elsewhere trained and validated on, as its validation statistics count them. */
function trainedElsewhere(v: unknown): number | null {
  const o = asRecord(v);
  return typeof o?.trainCount === 'number' && typeof o.validationCount === 'number' ? o.trainCount + o.validationCount : null;
}

export function modelSummary(m: ModelRow, counts: { scored: number; unscored: number; trainedOnRejected: number }, epochKept: number | null): T.ModelSummary {
  return {
    id: m.id,
    projectId: m.projectId,
    name: m.name,
    status: m.status,
    createdAt: iso(m.createdAt),
    options: storedOptions(m.options),
    scoreKind: m.scoreKind,
    patchScale: m.patchScale,
    datasetSize: m.importedFrom === null ? m.trainCount : trainedElsewhere(m.validationStats) ?? m.trainCount,
    backend: backendOf(m.backend),
    trainingSeconds: m.trainingMs === null ? null : m.trainingMs / 1000,
    epochKept,
    validation: withoutSamples(m.validationStats),
    scoredCount: counts.scored,
    unscoredCount: counts.unscored,
    trainedOnRejected: counts.trainedOnRejected,
    folder: m.status === 'ready' ? m.weightsDir : null,
    imported: m.importedFrom === null ? null : { from: m.importedFrom, inProject: m.trainCount },
  };
}

export function trainingRun(r: StoreRun): T.TrainingRun {
  return {
    id: r.id,
    status: r.status,
    startedAt: iso(r.startedAt),
    finishedAt: isoOrNull(r.finishedAt),
    epochKept: r.epochKept,
    error: r.error,
  };
}

function numbers(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(asRecord(v) ?? {})) if (typeof x === 'number') out[k] = x;
  return out;
}

export function epochFigures(e: TrainingEpoch): T.EpochFigures {
  const losses: Record<string, number> = {};
  for (const k of LOSS_NAMES) {
    const v = e[k];
    if (v !== null) losses[k] = v;
  }
  return { epoch: e.epoch, seconds: e.seconds, losses, validation: numbers(e.validation) };
}

export function jobSummary(j: Job): T.JobSummary {
  const params = asRecord(j.params) ?? {};
  return {
    id: j.id,
    kind: j.kind,
    status: j.status,
    projectId: j.projectId,
    modelId: typeof params.modelId === 'number' ? params.modelId : null,
    progress: j.progress,
    phase: j.phase ?? '',
    message: j.message ?? '',
    createdAt: iso(j.createdAt),
    startedAt: isoOrNull(j.startedAt),
    finishedAt: isoOrNull(j.finishedAt),
    result: asRecord(j.result),
  };
}
