import { afterEach, describe, expect, it } from 'vitest';
import { findProject } from '../../../src-main/cli/library-db';
import { tempStore } from '../store/helpers';

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
});
