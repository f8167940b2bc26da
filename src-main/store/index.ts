// Public face of the store: the rest of the app imports from here and never writes SQL.
export { databaseFiles, fileSchemaVersion, openStore, selfContained, type Store, type OpenOptions } from './open-store';
export { LibraryLockedError, lockPathFor, type LockHolder } from './writer-lock';
export { StoreVersionError, migrate, schemaVersion } from './migrate';
export { latestVersion } from './migrations';
export { fileListHash, type NewModel, type ModelUpdate, type ImportedModel } from './models';
export type { NewImage, ImageFilter, LabelSplitCount } from './images';
export type { NewImportError } from './imports';
export type { NewEpoch } from './training';
export type { NewScore } from './scores';
export type { NewThreshold } from './thresholds';
export type { NewReview, ReviewTrailRow } from './reviews';
export type { FinalJobStatus } from './jobs';
export type { RankingFilter, PageRequest, Cursor, RankedImage, RankingPage } from './ranking';
export type { ThresholdCounts, FlagSplit, Histogram, ExportRow, FlagCount } from './score-stats';
export type { StatusSummary, ModelSummary } from './summary';
export type { FollowRow } from './follows';
export type * from './types';
