// Following a camera folder (api/follow.ts): which import's folders, and which model scores what comes in.
import type { ApiContext } from '../context';
import { need } from '../context';
import { ApiFailure } from '../dispatch';
import type { Handlers } from '../dispatch';

type FollowHandlers = Pick<Handlers, 'follow.start' | 'follow.stop' | 'follow.get'>;

export function followHandlers(ctx: ApiContext): FollowHandlers {
  const { store } = ctx;
  return {
    'follow.start': ({ projectId, importId, modelId }) => {
      need(store.projects.get(projectId), 'project', projectId);
      const imp = need(store.imports.get(importId), 'import', importId);
      if (imp.projectId !== projectId) throw new ApiFailure('bad-request', `Import ${importId} is not of project ${projectId}`);
      if (ctx.uploads.isUpload(imp.roots)) {
        throw new ApiFailure('conflict', 'An upload cannot be followed: a browser sends files only when they are dropped. Import the camera folder by its path to follow it.');
      }
      if (modelId !== null && need(store.models.get(modelId), 'model', modelId).projectId !== projectId) {
        throw new ApiFailure('bad-request', `Model ${modelId} is not of project ${projectId}`);
      }
      return ctx.follower.start({ projectId, importId, roots: imp.roots, modelId, failed: imp.failed });
    },
    'follow.stop': async ({ projectId }) => ({ stopped: await ctx.follower.stop(projectId) }),
    'follow.get': ({ projectId }) => {
      need(store.projects.get(projectId), 'project', projectId);
      return ctx.follower.state(projectId);
    },
  };
}
