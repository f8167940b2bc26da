import { describe, expect, it } from 'vitest';
import { parentMessage, parseChildMessage } from '../../../src-main/jobs/protocol';
import { trainParams } from '../../../src-main/jobs/tasks';

describe('job protocol', () => {
  it('passes well-formed child messages through, NaN included', () => {
    const m = { type: 'progress', phase: 'training', progress: 0.5, epoch: 1, losses: { errD: Number.NaN } };
    expect(parseChildMessage(m)).toEqual(m);
    expect(parseChildMessage({ type: 'checkpoint', epoch: 3, dir: '/x' })).toEqual({ type: 'checkpoint', epoch: 3, dir: '/x' });
  });

  it('turns a malformed message into an error naming it, never a throw', () => {
    expect(parseChildMessage({ type: 'progress', phase: 'x', progress: 2 })).toMatchObject({ type: 'error', message: expect.stringMatching(/malformed 'progress'/) });
    expect(parseChildMessage('hello')).toMatchObject({ type: 'error', message: expect.stringMatching(/malformed '\?'/) });
    expect(parseChildMessage({ type: 'scores', rows: [{ imageId: 'a' }] }).type).toBe('error');
  });

  it('validates what the parent sends', () => {
    expect(parentMessage.safeParse({ type: 'cancel' }).success).toBe(true);
    expect(parentMessage.safeParse({ type: 'start', task: { kind: 'score' } }).success).toBe(false);
  });

  it('keeps the training replica count in the job params; rows from before it default to auto', () => {
    expect(trainParams.parse({ modelId: 1 })).toEqual({ modelId: 1, backend: 'auto', workers: 'auto' });
    expect(trainParams.parse({ modelId: 1, workers: 2 }).workers).toBe(2);
    expect(trainParams.safeParse({ modelId: 1, workers: 0 }).success).toBe(false);
  });
});
