// One line of text for a job snapshot (CLI progress, logs), and the number formats the CLI's folder
// mode shares. Pure, so it is tested on its own.
import type { JobSnapshot } from './job-run';

/** A loss or score in a few significant digits; NaN and Infinity spelled out, since a diverged run must show. */
export const formatNumber = (v: number, digits = 4): string => (Number.isFinite(v) ? v.toPrecision(digits) : String(v));

export function formatSeconds(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function describeProgress(s: JobSnapshot): string {
  const parts = [`job ${s.jobId} ${s.kind}`, s.status === 'running' ? s.phase : s.status, `${Math.round(s.progress * 100)}%`];
  if (s.epoch !== undefined && s.epochs !== undefined && s.epoch > 0) parts.push(`epoch ${s.epoch}/${s.epochs}`);
  if (s.batch !== undefined && s.batches !== undefined && s.batch > 0) parts.push(`batch ${s.batch}/${s.batches}`);
  const l = s.losses;
  if (l && s.phase === 'training') {
    parts.push(`errD ${formatNumber(l.errD, 3)} errG ${formatNumber(l.errG)} (adv ${formatNumber(l.errGAdv, 3)} con ${formatNumber(l.errGCon, 3)} enc ${formatNumber(l.errGEnc, 3)})`);
  }
  if (s.imagesPerSecond !== undefined && s.imagesPerSecond > 0) parts.push(`${s.imagesPerSecond.toFixed(1)} img/s`);
  if (s.status === 'running' && s.etaSeconds !== undefined) parts.push(`ETA ${formatSeconds(s.etaSeconds)}`);
  if (s.message && (s.status !== 'running' || s.phase !== 'training')) parts.push(`- ${s.message}`);
  return parts.join(' ');
}
