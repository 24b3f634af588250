// GraphiQL is the manual: every type, field, argument and enum value of the whole schema (all services
// enabled) has a description. Built-in scalars and introspection types are GraphQL's own.
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  isUnionType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { allServices } from '../services/index.js';
import { buildSchema } from '../src/schema.js';

describe('the schema', () => {
  it('describes every type, field, argument and enum value', () => {
    const schema = buildSchema(allServices);
    const missing: string[] = [];
    const need = (where: string, description: string | null | undefined) => {
      if (!description?.trim()) missing.push(where);
    };
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
      const root = [schema.getQueryType(), schema.getMutationType()].includes(type as never);
      if (!root) need(type.name, type.description);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          need(`${type.name}.${field.name}`, field.description);
          for (const arg of 'args' in field ? field.args : []) {
            need(`${type.name}.${field.name}(${arg.name})`, arg.description);
          }
        }
      }
      if (isEnumType(type)) for (const v of type.getValues()) need(`${type.name}.${v.name}`, v.description);
      if (isUnionType(type)) need(type.name, type.description);
    }
    expect(missing).toEqual([]);
    // Not vacuous: the walk saw the whole schema.
    expect(Object.keys(schema.getTypeMap()).length).toBeGreaterThan(80);
  });
});
