// The engine's public surface. Model code only calls tf.*; pick the backend first with selectBackend.
export { selectBackend, currentBackend, type BackendInfo, type BackendName } from './backends/select';
export {
  ganomalyOptionsSchema, parseOptions, geometry, SCORE_KINDS,
  type GanomalyOptions, type GanomalyOptionsInput, type Geometry, type ScoreKind,
} from './options';
export { createRng, shuffled, type Rng } from './random';
export {
  NetG, NetD, buildEncoder, buildDecoder, initWeights, trainableVariables, readWeights, writeWeights,
  type NetGOutput, type NetDOutput, type WeightValue,
} from './networks';
export { generatorLoss, discriminatorLoss, l1, l2, bce, clampedLog, type LossWeights, type GeneratorLoss } from './losses';
export {
  createNets, disposeNets, trainStep, stepGradients, stepLosses, planMemory, readOptimizer, writeOptimizer, D_REINIT_BELOW,
  type Nets, type StepLosses, type StepGradients, type MemoryPlan,
} from './train-step';
export {
  createStepRunner, localStepRunner, resolveWorkers, splitBatch, ParallelStepRunner, MAX_WORKERS,
  type StepRunner, type WorkersOption,
} from './parallel/step-runner';
export { liveReplicaWorkers } from './parallel/replica-worker';
export {
  train, splitIndices, batchesOf, trainingPlan, epochsWithoutImprovement, DEFAULT_EPOCHS, type TrainingPlan,
  type ImageSet, type TrainArgs, type TrainResult, type TrainProgress, type TrainingSnapshot, type EpochRecord,
  type Losses, type ScoreSummary,
} from './trainer';
export {
  scoreBatch, scoreSet, calibrateScores, diffMapAtResolution,
  type ScoreResult, type ScoringModel, type RawScores, type CalibratedScores, type ScoreSetOptions,
} from './scoring';
export { scoreStats, buildCalibration, calibratedScore, percentileOf, type ScoreStats, type Calibration } from './calibration';
export { MeanImage, baselineScores, topMean, topCount } from './baseline';
export {
  saveModel, loadModel, readModelMeta, saveCheckpoint, loadCheckpoint, hashFileList, MODEL_FORMAT, CHECKPOINT_FORMAT,
  FORMAT_VERSION, type ModelMeta, type LoadedModel, type SaveModelArgs, type WeightFile, type WeightSpec,
} from './checkpoint';
export * from './metrics';
export { preciseBatchNorm, preciseImageCount } from './precise-bn';
