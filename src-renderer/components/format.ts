// Small display helpers shared by the screens.
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function formatNumber(n: number | null | undefined, digits = 3): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return n.toExponential(2);
  return n.toFixed(digits);
}

/**
 * Decimals (at least `min`, at most 12) that tell every two different values apart once rounded: a weak
 * model's raw scores can differ only past the fourth digit, and "1.0018" on every row says nothing.
 * Give it the values shown side by side (the ranks of a list, the ticks of an axis, a threshold with them).
 */
export function digitsToTellApart(values: ReadonlyArray<number | null | undefined>, min = 4): number {
  const xs = [...new Set(values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)))].sort((a, b) => a - b);
  for (let d = Math.max(0, min); d < 12; d++) {
    if (xs.every((x, i) => i === 0 || xs[i - 1].toFixed(d) !== x.toFixed(d))) return d;
  }
  return 12;
}

/** A score with `digits` decimals (from digitsToTellApart), '—' when there is none. */
export function formatScore(n: number | null | undefined, digits = 4): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(digits);
}

export function formatPercent(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${(x * 100).toFixed(digits)} %`;
}

export function formatDate(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toLocaleString();
}

/** A file as `folder/name`: MVTec-style sets restart their names in every kind's folder (hole/000.png, cut/000.png). */
export function folderAndName(folderName: string, name: string): string {
  return folderName ? `${folderName}/${name}` : name;
}

/** A lot's day ("2026-12-01", shared/lots: the date its day starts on) as the screens show a date ("12/1/2026"). */
export function dayText(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString();
}

/** A lot as the screens and the Results filter chip name it: its folders and its day ("/cam of 12/1/2026"). */
export const lotName = (roots: readonly string[], day: string): string => `${roots.join(' ; ')} of ${dayText(day)}`;
