// Paging arithmetic for virtualised lists that fetch rows from the client on demand.
export function pagesForRange(start: number, end: number, pageSize: number, total: number | null): number[] {
  if (end < start || pageSize <= 0) return [];
  const last = total === null ? end : Math.min(end, total - 1);
  if (last < start) return [];
  const out: number[] = [];
  for (let p = Math.floor(Math.max(0, start) / pageSize); p <= Math.floor(last / pageSize); p++) out.push(p);
  return out;
}
