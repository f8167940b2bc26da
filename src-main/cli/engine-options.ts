// The engine's training options as command-line flags, shared by `train <folder>` and `train --db`.
// Every flag, its help and its default come from the engine's schema (optionFields); only the flags
// that are not model options (workers, backend) are written here.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { optionFields, parseOptionsPatch, type OptionField, type OptionsPatch } from '../engine/options';
import type { BackendPreference, WorkersPreference } from '../jobs/protocol';
import { BACKEND_PREFERENCES } from '../shared/vocabulary';

// InvalidArgumentError, not Error: commander then names the flag and the value in its message.
const int = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected an integer');
  return n;
};
const num = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
};

/** commander's camel-case attribute name of a flag: --w-adv -> wAdv, --batch -> batch. */
const attribute = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The flag of one option, its parser and its help with the schema's default. */
export function optionFlag(f: OptionField & { flag: string }): Option {
  const arg = f.kind === 'int' ? '<n>' : f.kind === 'choice' ? '<kind>' : f.kind === 'choiceOrNumber' ? `<${f.choices?.join('|')}|x>`
    : f.kind === 'region' ? '<left,top,width,height>' : f.kind === 'areas' ? '<left,top,width,height;...>' : '<x>';
  const help = `${f.help.replace(/\.$/, '')} (default ${f.default ?? f.unset})`;
  const o = new Option(`--${f.flag} ${arg}`, help);
  if (f.kind === 'region' || f.kind === 'areas') return o; // the text as it is: the schema checks it and says what is wrong
  if (f.kind === 'choice') return o.choices((f.choices ?? []).map(String));
  if (f.kind === 'choiceOrNumber') {
    return o.argParser((v: string) => {
      if (f.choices?.includes(v)) return v;
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`expected ${f.choices?.join(', ')} or a number`);
      return n;
    });
  }
  return o.argParser(f.kind === 'int' ? int : num);
}

const flagged = () => optionFields().filter((f): f is OptionField & { flag: string } => f.flag !== null);

/** Adds the flags; defaults stay in the engine's schema so there is one source of truth. */
export function addEngineOptions(cmd: Command): Command {
  for (const f of flagged()) cmd.addOption(optionFlag(f));
  return cmd
    .option('--workers <n|auto>', 'training threads, each a data-parallel replica (default auto: 2 on the CPU, 1 on a GPU)', workersArg)
    .addOption(backendOption());
}

function workersArg(v: string): number | 'auto' {
  if (v === 'auto') return v;
  const n = int(v);
  if (n < 1) throw new InvalidArgumentError('expected auto or a whole number of at least 1');
  return n;
}

export function backendOption(): Option {
  return new Option('--backend <name>', "compute backend (default auto: the best available; 'webgpu' by name also takes a software adapter)")
    .choices(BACKEND_PREFERENCES)
    .default('auto');
}

/** What commander hands the action: one attribute per flag, plus the run flags. */
export type EngineFlags = { [flag: string]: unknown } & {
  backend?: BackendPreference;
  /** Not a model option: how training runs, so it stays out of engineOptionsFrom. */
  workers?: WorkersPreference;
};

/** Only the flags the user gave, so the engine fills the rest with its defaults. */
export function engineOptionsFrom(flags: EngineFlags): OptionsPatch {
  const given: Record<string, unknown> = {};
  for (const f of flagged()) {
    const v = flags[attribute(f.flag)];
    if (v !== undefined) given[f.key] = v;
  }
  // commander already parsed each value by its kind; the schema checks the bounds and names the option.
  return parseOptionsPatch(given);
}
