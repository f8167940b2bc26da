// The training options have one owner, engine/options.ts. The form, the CLI flags, the API contract and
// the job protocol must accept exactly what that schema accepts: probe every option at and beyond each
// of its bounds and compare.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { requests } from '../../../src-main/api/contract';
import { addEngineOptions, engineOptionsFrom, type EngineFlags } from '../../../src-main/cli/engine-options';
import { ganomalyOptionsSchema, optionFields, optionsPatchSchema, trainingDefaults, type OptionField } from '../../../src-main/engine/options';
import { trainTask } from '../../../src-main/jobs/protocol';
import { parseTrainForm } from '../../../src-renderer/train/train-form';

/** Values at, inside and just outside each bound the field states, plus a few that break its kind. */
function probes(f: OptionField): Array<string | number> {
  if (f.kind === 'choice') return [...(f.choices ?? []), 'nope', 0];
  if (f.kind === 'region') return ['10,0,80,100', ' 5, 5 ,90,90 ', '0,0,100,100', '12.5,0,87.5,100', '50,0,60,100', '0,50,10,60', '10,0,0,100', '1,2,3', '-1,0,50,50', 'abc', '', 0];
  // An option unset by default (epochs) has no default value to probe: leaving it out is what it takes.
  const out = new Set<number>([0, -1, 1.5, 1e9]);
  if (f.default !== undefined) out.add(f.default as number);
  for (const b of [f.min, f.max, f.above, f.below]) if (b !== undefined) for (const d of [-1, -0.5, 0, 0.5, 1]) out.add(b + d);
  if (f.multipleOf) out.add(f.multipleOf * 2 + 1);
  // A word or a number (crop): its words, a wrong word, and the numbers around the bounds.
  if (f.kind === 'choiceOrNumber') return [...(f.choices ?? []), 'nope', ...out];
  return [...out];
}
const schemaTakes = (f: OptionField, v: unknown) => optionsPatchSchema.safeParse({ [f.key]: v }).success;

function cliTakes(f: OptionField, v: string | number): boolean {
  const cmd = addEngineOptions(new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} }));
  try {
    cmd.parse([`--${f.flag}`, String(v)], { from: 'user' });
    return engineOptionsFrom(cmd.opts<EngineFlags>())[f.key] !== undefined;
  } catch {
    return false;
  }
}

describe('one options schema', () => {
  it('describes every option with a label, help, a default and a kind', () => {
    const keys = Object.keys(ganomalyOptionsSchema.shape);
    expect(optionFields().map((f) => f.key)).toEqual(keys);
    const defaults = ganomalyOptionsSchema.parse({});
    for (const f of optionFields()) expect(f.default).toBe(defaults[f.key]);
  });

  it('the form accepts exactly what the schema accepts, with the schema\'s help', () => {
    const { options, fields, help } = trainingDefaults();
    for (const f of fields) {
      expect(help[f.key]).toBe(f.help);
      for (const v of probes(f)) {
        const r = parseTrainForm({ [f.key]: String(v) }, { options, fields });
        expect([f.key, v, !r.errors[f.key]]).toEqual([f.key, v, schemaTakes(f, v)]);
      }
    }
    // Every option the user may choose is on the form; the rest (nc) come from the images.
    expect(optionFields().filter((f) => !f.form).map((f) => f.key)).toEqual(['nc']);
  });

  it('the CLI has a flag per option and takes exactly what the schema takes', () => {
    const cmd = addEngineOptions(new Command());
    const flags = cmd.options.map((o) => o.long);
    for (const f of optionFields()) {
      if (f.flag === null) continue;
      expect(flags).toContain(`--${f.flag}`);
      const opt = cmd.options.find((o) => o.long === `--${f.flag}`);
      expect(opt?.description).toContain(`(default ${f.default ?? f.unset})`);
      for (const v of probes(f)) expect([f.key, v, cliTakes(f, v)]).toEqual([f.key, v, schemaTakes(f, v)]);
    }
  });

  it('the contract and the job protocol use the schema itself', () => {
    const start = requests['training.start'].input;
    for (const f of optionFields()) {
      for (const v of probes(f)) {
        const ok = start.safeParse({ projectId: 1, options: { [f.key]: v } }).success;
        expect([f.key, v, ok]).toEqual([f.key, v, schemaTakes(f, v)]);
      }
    }
    expect(start.safeParse({ projectId: 1, options: { bogus: 1 } }).success).toBe(false);
    // Omitted options stay omitted (the engine fills them, nc from the images).
    expect(start.parse({ projectId: 1 }).options).toEqual({});
    expect(trainTask.shape.options).toBe(ganomalyOptionsSchema);
  });
});
