// When the project's day starts: its lots are a day's imports of the same folders, and a line whose night shift runs
// past midnight sets it to its first shift's start, so a shift's parts are one lot, not two.
import { useEffect, useState } from 'react';
import { parseDayStart } from '../api/client';

export function DayStartField({ value, onSet }: { value: string; onSet: (dayStart: string) => Promise<void> }) {
  const [text, setText] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setText(value), [value]);
  const set = async () => {
    try {
      parseDayStart(text);
    } catch (e) {
      setError((e as Error).message.replace(/^a /, 'A '));
      return;
    }
    setError(null);
    setBusy(true);
    try {
      await onSet(text);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="row small" onSubmit={(e) => { e.preventDefault(); void set(); }}>
      <label className="picker">
        <span className="muted">A day starts at</span>
        <input className="num-input time-input" type="time" value={text} onChange={(e) => setText(e.target.value)} aria-label="A day starts at" />
      </label>
      <button type="submit" disabled={busy || text === value}>Set</button>
      <span className={error ? 'bad' : 'muted'}>{error ?? 'Set it to the first shift\u2019s start where a shift runs past midnight: its parts are then one lot.'}</span>
    </form>
  );
}
