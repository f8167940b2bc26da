// Every shared set of names (labels, splits, decisions, score kinds, job states, ...) is spelled out
// once, in src-main/vocabulary.ts. This reads every source file's syntax tree and fails when the same
// set of string literals appears twice: as a union type, a z.enum, a commander .choices or a const array.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../../..');

export function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** Each set of two or more string literals written as one union or one literal array, with where. */
function literalSets(file: string): Array<{ key: string; at: string }> {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Array<{ key: string; at: string }> = [];
  const add = (names: string[], node: ts.Node) => {
    if (names.length < 2) return;
    const line = sf.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    found.push({ key: [...new Set(names)].sort().join('|'), at: `${file}:${line}` });
  };
  const visit = (node: ts.Node) => {
    if (ts.isUnionTypeNode(node)) {
      const lits = node.types.filter((t): t is ts.LiteralTypeNode => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal));
      if (lits.length === node.types.length) add(lits.map((t) => (t.literal as ts.StringLiteral).text), node);
    }
    if (ts.isArrayLiteralExpression(node) && node.elements.every(ts.isStringLiteral) && declaresNames(node)) {
      add(node.elements.map((e) => (e as ts.StringLiteral).text), node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** An array that defines a set of names: `[...] as const`, or the argument of z.enum or .choices. */
function declaresNames(node: ts.ArrayLiteralExpression): boolean {
  const p = node.parent;
  if (ts.isAsExpression(p) && p.type.getText() === 'const') return true;
  return ts.isCallExpression(p) && ts.isPropertyAccessExpression(p.expression) && ['enum', 'choices'].includes(p.expression.name.text);
}

describe('one vocabulary', () => {
  it('declares no set of names twice', () => {
    const byKey = new Map<string, string[]>();
    for (const file of [...sourceFiles('src-main'), ...sourceFiles('src-renderer')]) {
      for (const { key, at } of literalSets(file)) byKey.set(key, [...(byKey.get(key) ?? []), at]);
    }
    const twice = [...byKey].filter(([, at]) => at.length > 1).map(([key, at]) => `${key}: ${at.join(', ')}`);
    expect(twice).toEqual([]);
  });
});
