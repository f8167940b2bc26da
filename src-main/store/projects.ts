import type Database from 'better-sqlite3';
import type { Project } from './types';
import { DAY_MINUTES } from '../shared/lots';

const COLUMNS = 'id, name, created_at AS createdAt, day_start AS dayStart';

export function projectQueries(db: Database.Database) {
  const insert = db.prepare<[string, number], Project>(
    `INSERT INTO projects (name, created_at) VALUES (?, ?) RETURNING ${COLUMNS}`,
  );
  const byId = db.prepare<[number], Project>(`SELECT ${COLUMNS} FROM projects WHERE id = ?`);
  const byName = db.prepare<[string], Project>(`SELECT ${COLUMNS} FROM projects WHERE name = ?`);
  const all = db.prepare<[], Project>(`SELECT ${COLUMNS} FROM projects ORDER BY id`);
  const rename = db.prepare<[string, number]>('UPDATE projects SET name = ? WHERE id = ?');
  const remove = db.prepare<[number]>('DELETE FROM projects WHERE id = ?');
  const setDayStart = db.prepare<[number, number]>('UPDATE projects SET day_start = ? WHERE id = ?');

  function create(name: string): Project {
    const trimmed = name.trim();
    if (!trimmed) throw new Error('A project needs a non-empty name.');
    if (byName.get(trimmed)) throw new Error(`A project named "${trimmed}" already exists.`);
    return insert.get(trimmed, Date.now())!;
  }

  return {
    create,
    /** The project with this name, created if absent (the CLI's default project). */
    ensure(name: string): Project {
      return byName.get(name.trim()) ?? create(name);
    },
    get(id: number): Project | undefined {
      return byId.get(id);
    },
    byName(name: string): Project | undefined {
      return byName.get(name.trim());
    },
    list(): Project[] {
      return all.all();
    },
    rename(id: number, name: string): void {
      const trimmed = name.trim();
      if (!trimmed) throw new Error('A project needs a non-empty name.');
      rename.run(trimmed, id);
    },
    /** When the project's day starts (minutes after midnight, 0 to 1439), so its lots are its line's days. */
    setDayStart(id: number, minutes: number): void {
      if (!(Number.isInteger(minutes) && minutes >= 0 && minutes < DAY_MINUTES)) throw new Error(`A day's start is 0 to ${DAY_MINUTES - 1} minutes after midnight, got ${minutes}.`);
      setDayStart.run(minutes, id);
    },
    /** Deletes the project and everything in it (images, models, scores, reviews). */
    remove(id: number): void {
      remove.run(id);
    },
  };
}

export type ProjectQueries = ReturnType<typeof projectQueries>;
