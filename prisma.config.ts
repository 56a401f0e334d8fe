// Prisma 7 reads the schema location from here. The URL is only needed by CLI commands that talk
// to a database, which this project does not use (see libs/db/README.md); generate needs none.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
