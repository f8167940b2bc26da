// No module may reach itself through its imports (type-only imports count: they still tie two modules
// into one unit to read and change). Reads every relative import of src-main and src-renderer and looks
// for strongly connected groups of files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

function resolveImport(from: string, spec: string): string | null {
  const base = join(dirname(join(ROOT, from)), spec);
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (/\.tsx?$/.test(c) && existsSync(c)) return relative(ROOT, c);
  }
  return null;
}

export function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(join(ROOT, f), 'utf8');
    const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]);
    graph.set(f, specs.map((s) => resolveImport(f, s)).filter((t): t is string => t !== null && t !== f));
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one file. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) out.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('imports', () => {
  it('form no cycles', () => {
    const graph = importGraph([...sourceFiles('src-main'), ...sourceFiles('src-renderer')]);
    expect(graph.size).toBeGreaterThan(100);
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one (the check itself works)', () => {
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
  });
});

describe('renderer layers', () => {
  // app/ is the shell (it imports every screen); state/ and components/ are shared by the screens; each
  // screen folder imports only itself and those shared folders, never another screen or the shell.
  const SHARED = ['src-renderer/api/', 'src-renderer/state/', 'src-renderer/components/'];
  const folderOf = (f: string) => f.split('/').slice(0, 2).join('/') + '/';

  it('screens share through state/ and components/, not through each other or the shell', () => {
    const graph = importGraph(sourceFiles('src-renderer'));
    const wrong: string[] = [];
    for (const [from, targets] of graph) {
      const own = folderOf(from);
      if (own === 'src-renderer/app/' || from.split('/').length < 3) continue;
      for (const to of targets) {
        // The one door to the main side: the client, to the contract's types and the shared pure modules.
        if (own === 'src-renderer/api/' && (to === 'src-main/api/contract.ts' || to.startsWith('src-main/shared/'))) continue;
        const allowed = SHARED.includes(own) ? SHARED : [own, ...SHARED];
        if (!allowed.some((a) => to.startsWith(a))) wrong.push(`${from} -> ${to}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
