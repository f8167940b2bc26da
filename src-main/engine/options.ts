// Training options, validated with zod. Defaults follow the GANomaly reference (Akcay et al. 2018)
// except where noted.
import { z } from 'zod';

/** Every score an image gets; `baseline` is model-free and never a model's own score. */
export const SCORE_KINDS = ['recon-top1', 'ssim', 'feature', 'latent', 'baseline'] as const;
export type ScoreKind = (typeof SCORE_KINDS)[number];
/** The kinds a model may rank by. */
export const MODEL_SCORE_KINDS = ['recon-top1', 'ssim', 'feature', 'latent'] as const;
export type ModelScoreKind = (typeof MODEL_SCORE_KINDS)[number];

export const ganomalyOptionsSchema = z.object({
  isize: z.number().int().min(16, 'isize must be at least 16').max(256, 'isize must be at most 256')
    .refine((v) => v % 16 === 0, { message: 'isize must be a multiple of 16 (16, 32, 48, ... 256)' }).default(32),
  nc: z.union([z.literal(1), z.literal(3)], { message: 'nc (image channels) must be 1 or 3' }).default(1),
  nz: z.number().int().min(1, 'nz (latent size) must be at least 1').max(4096).default(100),
  ngf: z.number().int().min(1, 'ngf must be at least 1').max(1024).default(64),
  ndf: z.number().int().min(1, 'ndf must be at least 1').max(1024).default(64),
  extraLayers: z.number().int().min(0).max(8).default(0),
  batchSize: z.number().int().min(2, 'batchSize must be at least 2 (BatchNorm needs a batch)').max(1024).default(64),
  lr: z.number().positive('lr must be > 0').max(1).default(2e-4),
  beta1: z.number().min(0).lt(1, 'beta1 must be < 1').default(0.5),
  epochs: z.number().int().min(1, 'epochs must be at least 1').max(10_000).default(15),
  wAdv: z.number().min(0).default(1),
  wCon: z.number().min(0).default(50),
  wEnc: z.number().min(0).default(1),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
  validationFraction: z.number().gt(0, 'validationFraction must be > 0: model selection needs held-out images')
    .lt(0.9).default(0.1),
  // 'auto' (default): after training, each model kind is tried on the validation images with synthetic
  // defects pasted in (engine/synthetic-check) and the best one is kept, so no test label ever chooses
  // it. Which kind wins differs between sets (the paper's latent score is near chance on ELPV).
  scoreKind: z.enum(['auto', ...MODEL_SCORE_KINDS]).default('auto'),
});

export type GanomalyOptions = z.infer<typeof ganomalyOptionsSchema>;

/** The kind a model ranks by: the one asked for, or for 'auto' the synthetic-defect check's best. */
export function resolveScoreKind(requested: GanomalyOptions['scoreKind'], syntheticBest?: ModelScoreKind): ModelScoreKind {
  return requested !== 'auto' ? requested : syntheticBest ?? 'recon-top1';
}
export type GanomalyOptionsInput = z.input<typeof ganomalyOptionsSchema>;

/** Validates and fills defaults; throws an Error listing every bad field. */
export function parseOptions(input: GanomalyOptionsInput = {}): GanomalyOptions {
  const r = ganomalyOptionsSchema.safeParse(input);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ');
    throw new Error(`Invalid GANomaly options: ${msg}`);
  }
  return r.data;
}

/** The spatial plan the encoder follows and the decoder mirrors. */
export interface Geometry {
  /** Side after the first stride-2 conv. */
  firstSize: number;
  /** Number of pyramid (Conv+BN+LReLU, stride 2) layers after the first conv. */
  pyramid: number;
  /** Side left before the final valid conv to 1x1 (= that conv's kernel). */
  finalSize: number;
}

export function geometry(isize: number): Geometry {
  if (!Number.isInteger(isize) || isize < 16 || isize % 16 !== 0) {
    throw new Error(`isize must be a multiple of 16 of at least 16, got ${isize}`);
  }
  let size = isize / 2;
  const firstSize = size;
  let pyramid = 0;
  while (size > 4 && size % 2 === 0) { size /= 2; pyramid++; }
  return { firstSize, pyramid, finalSize: size };
}
