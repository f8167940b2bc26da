import { afterEach, describe, expect, it } from 'vitest';
import { findModel, findProject } from '../../../src-main/cli/library-db';
import { fakeImage, tempStore } from '../store/helpers';

describe('findProject', () => {
  let s: ReturnType<typeof tempStore> | undefined;
  afterEach(() => s?.done());

  it('takes the only project when none is named (import --project cells, then train --db)', () => {
    s = tempStore();
    const cells = s.store.projects.ensure('cells');
    expect(findProject(s.store, undefined).id).toBe(cells.id);
    expect(findProject(s.store, '  ').id).toBe(cells.id);
  });

  it('prefers "default" among several, else asks for --project naming them', () => {
    s = tempStore();
    s.store.projects.ensure('cells');
    s.store.projects.ensure('tyres');
    expect(() => findProject(s!.store, undefined)).toThrow('this library has 2 projects ("cells", "tyres"): choose one with --project <name>');
    const def = s.store.projects.ensure('default');
    expect(findProject(s.store, undefined).id).toBe(def.id);
  });

  it('starts an empty library with "default", and asks which project among several without one', () => {
    s = tempStore();
    expect(findProject(s.store, undefined, true).name).toBe('default');
    s.done();
    s = tempStore();
    s.store.projects.ensure('cells');
    s.store.projects.ensure('tyres');
    expect(() => findProject(s!.store, undefined, true)).toThrow('this library has 2 projects ("cells", "tyres"): choose one with --project <name>');
  });

  it('imports into the only project when none is named, not into a new "default"', () => {
    s = tempStore();
    const cells = s.store.projects.ensure('cells');
    expect(findProject(s.store, undefined, true).id).toBe(cells.id);
    expect(s.store.projects.list()).toHaveLength(1);
  });

  it('never swaps a named project that is missing for another one', () => {
    s = tempStore();
    s.store.projects.ensure('cells');
    expect(() => findProject(s!.store, 'tyres')).toThrow('no project named "tyres" in this library (projects: "cells")');
    expect(() => findProject(s!.store, 'tyres', true)).not.toThrow();
  });

  it('says an empty library needs an import first', () => {
    s = tempStore();
    expect(() => findProject(s!.store, undefined)).toThrow('this library has no projects yet; import images first');
  });

  it('finds the model --model names, else the only one, and lists the models when it cannot choose', () => {
    s = tempStore();
    const p = s.store.projects.ensure('cells');
    const img = s.store.images.insert(fakeImage(p.id)).id;
    expect(() => findModel(s!.store, undefined)).toThrow('this library has no models yet: train one first (train --db <file>)');
    const first = s.store.models.create({ projectId: p.id, name: 'first', options: {}, trainImageIds: [img] });
    expect(findModel(s.store, undefined).id).toBe(first.id);
    expect(findModel(s.store, String(first.id)).name).toBe('first');
    s.store.models.create({ projectId: p.id, name: 'second', options: {}, trainImageIds: [img] });
    expect(() => findModel(s!.store, undefined)).toThrow(
      `--model <id> is required: this library has 2 models: #${first.id + 1} "second" (project "cells", training), #${first.id} "first" (project "cells", training)`);
    expect(() => findModel(s!.store, '99')).toThrow(/^no model with id 99 in this library \(models: #/);
    expect(() => findModel(s!.store, 'x')).toThrow('--model must be a positive whole number, got "x"');
  });
});
