// JSON columns are TEXT in SQLite; these keep parsing and writing in one place.
import type { Json } from './types';

export function toJson(value: Json | undefined): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export function fromJson(text: string | null): Json {
  return text === null ? null : (JSON.parse(text) as Json);
}
