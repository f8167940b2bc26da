import { describe, expect, it } from 'vitest';
import { describeProgress, formatSeconds } from '../../../src-main/jobs/progress-text';
import type { JobSnapshot } from '../../../src-main/jobs/queue';

const base: JobSnapshot = { jobId: 3, kind: 'train', status: 'running', projectId: 1, modelId: 2, phase: 'training', progress: 0.25 };

describe('progress text', () => {
  it('formats durations', () => {
    expect([formatSeconds(5.4), formatSeconds(75), formatSeconds(3 * 3600 + 120), formatSeconds(undefined), formatSeconds(-1)])
      .toEqual(['5s', '1m15s', '3h02m', '?', '?']);
  });

  it('describes a training step with epoch, batch, losses, speed and ETA', () => {
    const line = describeProgress({
      ...base, epoch: 2, epochs: 8, batch: 3, batches: 10, imagesPerSecond: 24.56, etaSeconds: 90,
      losses: { errD: 1.2345, errG: 27.5, errGAdv: 0.3, errGCon: 0.54, errGEnc: 0.02 },
    });
    expect(line).toBe('job 3 train training 25% epoch 2/8 batch 3/10 errD 1.23 errG 27.50 (adv 0.300 con 0.540 enc 0.0200) 24.6 img/s ETA 1m30s');
  });

  it('shows the outcome and its message once a job ended', () => {
    expect(describeProgress({ ...base, status: 'failed', progress: 0.5, message: 'x.png: corrupt' })).toBe('job 3 train failed 50% - x.png: corrupt');
  });
});
