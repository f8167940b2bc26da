// Training options: the one schema. Bounds, defaults and help text live here and nowhere else; the API
// contract (optionsPatchSchema), the job protocol (ganomalyOptionsSchema), the CLI flags
// (cli/engine-options.ts) and the training form (optionFields, served by `training.defaults`) derive
// from it. To add an option, add one field below with its `.meta()`.
// Defaults follow the GANomaly reference (Akcay et al. 2018) except where noted.
import { z } from 'zod';
import { SCORE_KIND_CHOICES, type ModelScoreKind } from '../shared/vocabulary';
import { parseRegion } from '../shared/region';
import { parseLeftOut } from '../shared/left-out';

export { SCORE_KINDS, MODEL_SCORE_KINDS, type ScoreKind, type ModelScoreKind } from '../shared/vocabulary';

/** How an option is shown: `label` and `help` for the form and the CLI; `flag` = the CLI flag's name
 *  when it is not the key in kebab case, false for none; `form: false` keeps it off the form. */
export interface OptionMeta {
  label: string;
  help: string;
  advanced?: boolean;
  flag?: string | false;
  form?: false;
  kind?: TextKind;
  /** An option without a default: what leaving it out means, in words (the CLI's "(default …)"). */
  unset?: string;
}
/** 'region' (shared/region) and 'areas' (shared/left-out): texts the form draws and the CLI takes as they are. */
type TextKind = 'region' | 'areas';
export const CROP_CHOICES = ['auto', 'whole'] as const;
const meta = (m: OptionMeta) => m as unknown as Record<string, unknown>;

/** A text checked by `parse`, whose Error says what is wrong; with `emptyIsUnset`, empty (as on the form) passes. */
export const checkedText = (parse: (text: string) => unknown, emptyIsUnset = false) => z.string().trim().check((c) => {
  if (emptyIsUnset && c.value === '') return;
  try {
    parse(c.value);
  } catch (e) {
    c.issues.push({ code: 'custom', message: (e as Error).message, input: c.value });
  }
});

export const ganomalyOptionsSchema = z.object({
  isize: z.number().int().min(16, 'isize must be at least 16').max(256, 'isize must be at most 256')
    .multipleOf(16, 'isize must be a multiple of 16 (16, 32, 48, ... 256)').default(32)
    .meta(meta({ label: 'Image size', help: 'Images are resized to this square size (multiple of 16). Larger sees finer defects but trains slower.' })),
  // Unset (the default): enough epochs for minSteps optimiser steps, and at least 15 (the reference's
  // count). Training is counted in steps, not passes: 15 epochs of 200 images at batch 64 are only 45
  // steps, which leaves a grey blob for a reconstruction. Given, it is the exact number of epochs.
  epochs: z.number().int().min(1, 'epochs must be at least 1').max(10_000).optional()
    .meta(meta({ label: 'Epochs', unset: 'planned', help: 'Passes over the good training images; empty = enough for the minimum steps (at least 15). The epoch with the lowest validation loss is kept.' })),
  // Chosen from measurements (README, detection quality).
  minSteps: z.number().int().min(0).max(1_000_000).default(400)
    .meta(meta({ label: 'Minimum steps', advanced: true, help: 'With epochs unset, train at least this many optimiser steps: small sets train more epochs.' })),
  // Early stopping: training ends when the validation reconstruction loss has not improved by 1 % for
  // this many steps (rounded up to whole epochs, at least 5). 0 = never stop early.
  patienceSteps: z.number().int().min(0).max(1_000_000).default(150)
    .meta(meta({ label: 'Patience (steps)', advanced: true, help: 'Stop early after this many steps (at least 5 epochs) without a 1% better validation loss; 0 = never.' })),
  // Patch mode for images larger than the model (README, patch mode): 'whole' squeezes each image into
  // isize x isize; a number n trains on isize crops of the images shrunk n times (native pixels per model
  // pixel) and scores an image by its worst patch; 'auto' decides from the training images (engine/patches
  // resolveCrop: patches from a shorter side of 8 isize on, unless a patch's place matters; chosen by measurement).
  crop: z.union([z.enum(CROP_CHOICES), z.number().min(1, 'crop must be at least 1 (native pixels per model pixel)').max(64, 'crop must be at most 64')],
    { error: (i) => (typeof i.input === 'number' ? undefined : 'crop must be auto, whole or a number of at least 1') })
    .default('auto')
    .meta(meta({ label: 'Crop scale', help: 'whole: each image squeezed to the model size; a number n >= 1: train and score on model-size patches of the image shrunk n times (1 = native pixels), an image scores by its worst patch; auto (default): patches when the training images\' shorter side is at least 6 times the image size (shrunk to 4 patches across) and their patches look alike wherever they sit (a surface, not a part shot in place), else whole.' })),
  batchSize: z.number().int().min(2, 'batchSize must be at least 2 (BatchNorm needs a batch)').max(1024).default(64)
    .meta(meta({ label: 'Batch size', advanced: true, flag: 'batch', help: 'Images per training step; large sizes are split into micro-batches to fit memory.' })),
  nz: z.number().int().min(1, 'nz (latent size) must be at least 1').max(4096).default(100)
    .meta(meta({ label: 'Latent size', advanced: true, help: 'Size of the latent code the encoder squeezes each image into.' })),
  wAdv: z.number().min(0).default(1)
    .meta(meta({ label: 'Adversarial weight', advanced: true, help: 'Weight of the adversarial (feature matching) loss.' })),
  wCon: z.number().min(0).default(50)
    .meta(meta({ label: 'Reconstruction weight', advanced: true, help: 'Weight of the reconstruction (L1) loss; the paper uses 50.' })),
  wEnc: z.number().min(0).default(1)
    .meta(meta({ label: 'Latent weight', advanced: true, help: 'Weight of the latent (encoder) loss.' })),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(0)
    .meta(meta({ label: 'Seed', advanced: true, help: 'Random seed: the same seed on the same backend gives the same run.' })),
  // 'auto' (default): after training, each model kind is tried on the validation images with synthetic
  // defects pasted in (engine/synthetic-check) and the best one is kept, so no test label ever chooses
  // it. Which kind wins differs between sets (the paper's latent score is near chance on ELPV).
  scoreKind: z.enum(SCORE_KIND_CHOICES).default('auto')
    .meta(meta({ label: 'Score', help: 'How an image is scored. auto (default): after training, the kind that best tells the held-out good images from the same images with synthetic defects; recon-top1: worst 1% of pixel differences; ssim: worst 1% of structural dissimilarity; feature: distance of the discriminator\'s features; latent: the paper\'s latent distance (for anomalies that are a different object, a wrong part rather than a defect on the right one, which the local synthetic defects seldom choose it for); recon-z: worst 1% of pixel differences as z-scores against the good parts\' usual difference at each pixel.' })),
  // The inspection region (shared/region): every image is cut to it before anything else, in training and in
  // scoring, so what lies outside (fixture, conveyor, a burnt-in time stamp) never counts. Unset: the whole image.
  region: checkedText(parseRegion, true).optional()
    .meta(meta({ label: 'Inspection region', kind: 'region', unset: 'the whole image', help: 'The part of every image the model trains on and scores, as left,top,width,height in percent of each image (e.g. 10,0,80,100); what lies outside (fixture, conveyor, a time stamp) never counts.' })),
  // Areas inside the region that never count either (shared/left-out): each image has them filled with its own
  // mean before the model sees it, in training and in scoring. Unset: none.
  leaveOut: checkedText(parseLeftOut, true).optional()
    .meta(meta({ label: 'Areas left out', kind: 'areas', unset: 'none', help: 'Areas inside the region that never count (a label, a printed date, a hole in the fixture), as left,top,width,height in percent of each image, separated by ";" (e.g. 40,10,20,8; 5,80,10,10); each image has them filled with its own mean before the model sees it.' })),
  lr: z.number().positive('lr must be > 0').max(1).default(2e-4)
    .meta(meta({ label: 'Learning rate', advanced: true, help: 'Adam learning rate.' })),
  beta1: z.number().min(0).lt(1, 'beta1 must be < 1').default(0.5)
    .meta(meta({ label: 'Adam β1', advanced: true, help: 'Adam beta1 (momentum); 0.5 as in DCGAN.' })),
  ngf: z.number().int().min(1, 'ngf must be at least 1').max(1024).default(64)
    .meta(meta({ label: 'Generator width', advanced: true, help: 'Width (filters) of the generator; more is slower and can fit more detail.' })),
  ndf: z.number().int().min(1, 'ndf must be at least 1').max(1024).default(64)
    .meta(meta({ label: 'Discriminator width', advanced: true, help: 'Width (filters) of the discriminator.' })),
  extraLayers: z.number().int().min(0).max(8).default(0)
    .meta(meta({ label: 'Extra layers', advanced: true, help: 'Extra 3x3 layers in each network; usually 0.' })),
  validationFraction: z.number().gt(0, 'validationFraction must be > 0: model selection needs held-out images')
    .lt(0.9).default(0.1)
    .meta(meta({ label: 'Validation share', advanced: true, flag: 'validation', help: 'Share of good images held out (never trained on) to pick the epoch and calibrate scores.' })),
  // Set from the images (gray or colour), so neither a flag nor a form field.
  nc: z.literal([1, 3], { message: 'nc (image channels) must be 1 or 3' }).default(1)
    .meta(meta({ label: 'Channels', flag: false, form: false, help: 'Colour channels the model sees: 1 (gray) or 3 (RGB).' })),
});

/** The crop option's words; a number is a scale. */
export type CropOption = GanomalyOptions['crop'];

export type GanomalyOptions = z.infer<typeof ganomalyOptionsSchema>;
export type GanomalyOptionsInput = z.input<typeof ganomalyOptionsSchema>;
export type OptionKey = keyof GanomalyOptions;

/** The kind a model ranks by: the one asked for, or for 'auto' the synthetic-defect check's best. */
export function resolveScoreKind(requested: GanomalyOptions['scoreKind'], syntheticBest?: ModelScoreKind): ModelScoreKind {
  return requested !== 'auto' ? requested : syntheticBest ?? 'recon-top1';
}

/** The options a caller may set: every field optional and without its default (the engine fills those
 *  later, and nc from the images), unknown keys refused. */
export const optionsPatchSchema = z.object(
  Object.fromEntries(Object.entries(ganomalyOptionsSchema.shape).map(([k, s]) => [k, s.unwrap().optional()])) as {
    [K in OptionKey]: z.ZodOptional<(typeof ganomalyOptionsSchema.shape)[K]['def']['innerType']>
  },
).strict();
export type OptionsPatch = z.infer<typeof optionsPatchSchema>;

/** Every problem of a failed parse on one line, each named by its option. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ');
}

/** Validates and fills defaults; throws an Error listing every bad field. */
export function parseOptions(input: GanomalyOptionsInput = {}): GanomalyOptions {
  const r = ganomalyOptionsSchema.safeParse(input);
  if (!r.success) throw new Error(`Invalid GANomaly options: ${describeIssues(r.error)}`);
  return r.data;
}

/** Validates options a caller gave, without filling defaults; throws like parseOptions. */
export function parseOptionsPatch(input: unknown): OptionsPatch {
  const r = optionsPatchSchema.safeParse(input);
  if (!r.success) throw new Error(`Invalid GANomaly options: ${describeIssues(r.error)}`);
  return r.data;
}

/** Options as saved with a model, read back: each known option that still passes its check (an older
 *  model may lack options added since, and unknown keys are dropped). */
export function storedOptions(saved: unknown): Partial<GanomalyOptions> {
  const out: Record<string, unknown> = {};
  const src = typeof saved === 'object' && saved !== null ? (saved as Record<string, unknown>) : {};
  for (const [k, s] of Object.entries(optionsPatchSchema.shape)) {
    const v = s.safeParse(src[k]);
    if (v.success && v.data !== undefined) out[k] = v.data;
  }
  return out as Partial<GanomalyOptions>;
}

/** One option as plain data (no zod), for the form and the CLI: read from the schema itself. */
export interface OptionField {
  key: OptionKey;
  label: string;
  help: string;
  /** choiceOrNumber: one of `choices` or a number within the bounds (crop: 'auto', 'whole' or a scale). */
  kind: 'int' | 'number' | 'choice' | 'choiceOrNumber' | TextKind;
  /** Absent for an option that is unset by default (epochs: planned from minSteps; region: the whole image). */
  default?: number | string;
  /** For those, what unset means in words. */
  unset?: string;
  min?: number;
  max?: number;
  /** Bounds the value must stay strictly above or below. */
  above?: number;
  below?: number;
  multipleOf?: number;
  choices?: Array<string | number>;
  advanced: boolean;
  /** Shown on the training form. */
  form: boolean;
  /** The CLI flag without its dashes, or null for none. */
  flag: string | null;
}

interface JsonField {
  type?: string; default?: number | string; enum?: Array<string | number>;
  minimum?: number; maximum?: number; exclusiveMinimum?: number; exclusiveMaximum?: number; multipleOf?: number;
  label?: string; help?: string; advanced?: boolean; flag?: string | false; form?: false; kind?: TextKind; unset?: string;
  anyOf?: JsonField[];
}

const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

let fields: OptionField[] | null = null;
export function optionFields(): OptionField[] {
  if (fields) return fields;
  const props = (z.toJSONSchema(ganomalyOptionsSchema, { io: 'input' }) as { properties: Record<string, JsonField> }).properties;
  fields = Object.entries(props).map(([key, top]) => {
    // A word or a number (crop): the words are the choices, the number branch gives the bounds.
    const words = top.anyOf?.find((b) => b.enum);
    const p: JsonField = top.anyOf ? { ...top.anyOf.find((b) => !b.enum), ...top, enum: words?.enum } : top;
    // Every option has a default except the optional ones (epochs), whose absence means 'planned'.
    const optional = !(ganomalyOptionsSchema.shape as Record<string, z.ZodType>)[key].safeParse(undefined).data;
    if (!p.label || !p.help || (p.default === undefined && !(optional && p.unset))) throw new Error(`option ${key} needs a label, help text and a default (or what unset means)`);
    const f: OptionField = {
      key: key as OptionKey, label: p.label, help: p.help,
      kind: p.kind ?? (top.anyOf ? 'choiceOrNumber' : p.enum ? 'choice' : p.type === 'integer' ? 'int' : 'number'),
      ...(p.default === undefined ? { unset: p.unset } : { default: p.default }), advanced: p.advanced ?? false, form: p.form !== false,
      flag: p.flag === false ? null : p.flag ?? kebab(key),
    };
    if (p.enum) f.choices = p.enum;
    if (p.minimum !== undefined) f.min = p.minimum;
    if (p.maximum !== undefined) f.max = p.maximum;
    if (p.exclusiveMinimum !== undefined) f.above = p.exclusiveMinimum;
    if (p.exclusiveMaximum !== undefined) f.below = p.exclusiveMaximum;
    if (p.multipleOf !== undefined) f.multipleOf = p.multipleOf;
    return f;
  });
  return fields;
}

/** What `training.defaults` answers: the defaults, the help per option, and the fields the form shows. */
export function trainingDefaults(): { options: GanomalyOptions; help: Record<OptionKey, string>; fields: OptionField[] } {
  const all = optionFields();
  return {
    options: parseOptions(),
    help: Object.fromEntries(all.map((f) => [f.key, f.help])) as Record<OptionKey, string>,
    fields: all.filter((f) => f.form),
  };
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
