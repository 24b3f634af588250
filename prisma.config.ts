// Prisma CLI configuration. Only `prisma generate` uses the CLI here: migrations run through our own
// offline driver (src/migrate.ts), because Prisma's native engines cannot be downloaded. The CLI reads the
// composed copy of prisma/schema (src/prisma-schema.ts: plugin back-relations added to core models),
// written afresh each time the config loads.
import fs from 'node:fs';
import { defineConfig } from 'prisma/config';
import { writeComposedSchema } from './src/prisma-schema.ts';

// `prisma generate` needs no schema engine, but the CLI tries to download one unless this points at
// an existing file. An explicit empty string restores the normal download on machines with internet.
if (process.env.PRISMA_SCHEMA_ENGINE_BINARY === undefined) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY =
    ['/bin/false', '/usr/bin/false'].find((p) => fs.existsSync(p)) ?? process.execPath;
}

export default defineConfig({
  schema: writeComposedSchema(),
  migrations: { path: 'prisma/migrations' },
});
