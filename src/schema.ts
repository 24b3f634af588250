// The only caller of builder.toSchema(): core types first, then the enabled service plugins in order.
import type { GraphQLSchema } from 'graphql';
import { allServices } from '../services/index.js';
import { createBuilder } from './builder.js';
import { registerCore } from './core/index.js';
import type { ServicePlugin } from './core/plugin.js';

/** The plugins named in CYPE_SERVICES (comma-separated slugs), or all of them. */
export function enabledServices(
  spec = process.env.CYPE_SERVICES,
  available: ServicePlugin[] = allServices,
): ServicePlugin[] {
  if (!spec?.trim()) return available;
  const wanted = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = wanted.filter((w) => !available.some((p) => p.slug === w || p.key === w));
  if (unknown.length) {
    throw new Error(
      `CYPE_SERVICES names unknown services: ${unknown.join(', ')} (available: ${available.map((p) => p.slug).join(', ') || 'none'})`,
    );
  }
  return available.filter((p) => wanted.includes(p.slug) || wanted.includes(p.key));
}

export function buildSchema(services: ServicePlugin[] = enabledServices()): GraphQLSchema {
  const builder = createBuilder();
  registerCore(builder);
  for (const service of services) service.register(builder);
  return builder.toSchema({ sortSchema: true });
}
