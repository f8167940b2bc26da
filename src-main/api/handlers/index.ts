// All handlers, one object typed by the contract: a missing or mistyped handler fails to compile.
// One file per request namespace: app.ts (app, backend, projects, dialog), library.ts (import, library),
// models.ts (models, training, scoring, jobs), results.ts, metrics.ts (and model-comparison.ts), thresholds.ts, reviews.ts, export.ts,
// uploads.ts (upload), follow.ts (follow).
import type { ApiContext } from '../context';
import type { Handlers } from '../dispatch';
import { appHandlers } from './app';
import { libraryHandlers } from './library';
import { modelHandlers } from './models';
import { resultHandlers } from './results';
import { exportHandlers } from './export';
import { metricsHandlers } from './metrics';
import { modelComparisonHandlers } from './model-comparison';
import { reviewHandlers } from './reviews';
import { thresholdHandlers } from './thresholds';
import { uploadHandlers } from './uploads';
import { followHandlers } from './follow';

export function createHandlers(ctx: ApiContext): Handlers {
  return {
    ...appHandlers(ctx),
    ...libraryHandlers(ctx),
    ...modelHandlers(ctx),
    ...resultHandlers(ctx),
    ...metricsHandlers(ctx),
    ...modelComparisonHandlers(ctx),
    ...thresholdHandlers(ctx),
    ...reviewHandlers(ctx),
    ...exportHandlers(ctx),
    ...uploadHandlers(ctx),
    ...followHandlers(ctx),
  };
}
