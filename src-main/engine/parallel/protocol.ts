// Messages between the training thread and its replica workers. Arrays travel as transferred buffers.
// Every request gets exactly one reply, in order, so the parent matches replies to requests by position.
import type { BackendName } from '../backends/select';
import type { WeightValue } from '../networks';
import type { GanomalyOptions } from '../options';
import type { CostlyKinds, ScoreResult } from '../scoring';
import type { ErrorStats } from '../error-stats';

export interface ReplicaState {
  netG: WeightValue[];
  netD: WeightValue[];
  /** Adam state; absent before the first step (a fresh optimizer has no moments to copy). */
  optG?: WeightValue[];
  optD?: WeightValue[];
}

export type ToWorker =
  | { type: 'init'; backend: BackendName; options: GanomalyOptions; microBatch: number; state: ReplicaState }
  /** Compute the gradients of `n` images of a batch of `total` (n may be 0: this replica sits the step out). */
  | { type: 'grads'; x: Float32Array; n: number; total: number }
  /** Apply the summed gradients; re-initialise D from `reinitSeed` when it is not null. */
  | { type: 'apply'; gradsG: Float32Array; gradsD: Float32Array; reinitSeed: number | null }
  | { type: 'read-stats' }
  | { type: 'write-stats'; stats: Float32Array }
  | { type: 'read-weights' }
  | { type: 'memory' }
  /** Become a scoring replica: the generator's weights (inference only) and the mean training image. */
  | { type: 'score-init'; backend: BackendName; options: GanomalyOptions; netG: WeightValue[]; netD: WeightValue[]; meanImage: Float32Array; errorStats?: ErrorStats }
  | { type: 'score'; x: Float32Array; n: number; withMaps: boolean; costly: CostlyKinds };

export type FromWorker =
  | { type: 'ok' }
  | { type: 'grads'; gradsG: Float32Array | null; gradsD: Float32Array | null; sums: Float64Array }
  | { type: 'stats'; stats: Float32Array }
  | { type: 'weights'; netG: WeightValue[]; netD: WeightValue[] }
  | { type: 'memory'; numTensors: number }
  | { type: 'scores'; result: ScoreResult }
  | { type: 'error'; message: string };
