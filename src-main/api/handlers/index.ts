// All handlers, one object typed by the contract: a missing or mistyped handler fails to compile.
import type { ApiContext } from '../context';
import type { Handlers } from '../dispatch';
import { appHandlers } from './app';
import { libraryHandlers } from './library';
import { modelHandlers } from './models';
import { resultHandlers } from './results';
import { reviewHandlers } from './review';
import { uploadHandlers } from './uploads';

export function createHandlers(ctx: ApiContext): Handlers {
  return {
    ...appHandlers(ctx),
    ...libraryHandlers(ctx),
    ...modelHandlers(ctx),
    ...resultHandlers(ctx),
    ...reviewHandlers(ctx),
    ...uploadHandlers(ctx),
  };
}
