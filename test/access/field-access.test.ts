// The field access declarations themselves, without a database: core declares exactly the fields of the
// core schema, each plugin exactly the fields it adds (its own types, and its fields on Query and Area), no
// field twice; so enabling any subset of services gives a schema its declarations cover exactly (the
// matrix, matrix.test.ts, then checks what each role reads). And nothing in src/ reads a declaration:
// access is enforced by the Pothos scopes, and the matrix must not pass by construction.
import fs from 'node:fs';
import path from 'node:path';
import { isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { allServices } from '../../services/index.js';
import type { ServicePlugin } from '../../src/core/plugin.js';
import { buildSchema } from '../../src/schema.js';
import { CORE_FIELD_ACCESS, type FieldAccess, fieldAccess } from './field-access.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function fieldsOf(services: ServicePlugin[]): Set<string> {
  return new Set(
    Object.values(buildSchema(services).getTypeMap())
      .filter((t) => isObjectType(t) && !t.name.startsWith('__'))
      .flatMap((t) => Object.keys((t as { getFields(): object }).getFields()).map((f) => `${t.name}.${f}`)),
  );
}

const names = (declaration: FieldAccess | undefined) =>
  Object.entries(declaration ?? {})
    .flatMap(([type, fields]) => Object.keys(fields).map((f) => `${type}.${f}`))
    .sort();

const core = fieldsOf([]);

describe('field access declarations', () => {
  it('core declares exactly the fields of the schema without plugins', () => {
    expect(names(CORE_FIELD_ACCESS)).toEqual([...core].sort());
  });

  it.each(allServices.map((s) => [s.slug, s]))(
    '%s declares exactly the fields it adds, on its own types and on shared ones',
    (_slug, plugin) => {
      const added = [...fieldsOf([plugin])].filter((f) => !core.has(f)).sort();
      expect(added.length).toBeGreaterThan(0);
      expect(names(plugin.fieldAccess)).toEqual(added);
      // Its entry points on the shared types are its own to declare.
      expect(added).toEqual(expect.arrayContaining([`Query.${plugin.key}`, `Area.${plugin.key}`]));
    },
  );

  it('merge core’s and the enabled plugins’, each field once, for any subset', () => {
    const all = fieldAccess(allServices);
    expect(names(all.access)).toEqual([...fieldsOf(allServices)].sort());
    const two = allServices.slice(0, 2);
    expect(names(fieldAccess(two).access)).toEqual([...fieldsOf(two)].sort());
    expect(all.declaredIn.get('Query.area')).toBe('test/access/field-access.ts');
    expect(all.declaredIn.get(`Area.${allServices[0].key}`)).toBe(`services/${allServices[0].slug}/access.ts`);
    // A field declared by two owners is refused, naming both.
    const [first, second] = allServices;
    const clash = { ...second, fieldAccess: { ...second.fieldAccess, Area: { [first.key]: 'everyone' as const } } };
    expect(() => fieldAccess([first, clash])).toThrow(
      new RegExp(`Area.${first.key} is declared twice: in services/${first.slug}/access.ts and in services/`),
    );
  });

  it('are read by nothing in src/ or by a plugin: only tests check the schema against them', () => {
    const files = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === 'generated' ? [] : files(p);
        return e.name.endsWith('.ts') ? [p] : [];
      });
    const readers = [...files(path.join(ROOT, 'src')), ...files(path.join(ROOT, 'services'))]
      .filter((f) => !f.endsWith('.test.ts'))
      .filter((f) => {
        const text = fs.readFileSync(f, 'utf8');
        // Reading a plugin's declaration, or a declaration module other than to write one (access.ts, or
        // the text of one in the skeleton `cype new-service` writes) or name its type (the plugin contract).
        const readsMember = /\.fieldAccess\b/.test(text);
        const importsDeclaration = /from '[^']*(field-access|\/access)\.js'/.test(text);
        const rel = path.relative(ROOT, f);
        const writer =
          /^services\/[^/]+\/(access|plugin)\.ts$/.test(rel) ||
          rel === 'src/core/plugin.ts' ||
          rel === 'src/cli/service-skeleton.ts';
        return readsMember || (importsDeclaration && !writer);
      })
      .map((f) => path.relative(ROOT, f));
    expect(readers).toEqual([]);
  });
});
