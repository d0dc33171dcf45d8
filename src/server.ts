import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createApp } from './app';
import { ConfigError, readConfig } from './config';
import { loadSampleDirectory } from '../seeds/sample-seeder';
import type { EntityManager } from '@mikro-orm/knex';

async function main(): Promise<void> {
  const config = readConfig();
  if (config.sqlitePath !== ':memory:') mkdirSync(dirname(config.sqlitePath), { recursive: true });
  const app = await createApp({ sqlitePath: config.sqlitePath, playground: config.playground });

  if (config.seedWhenEmpty) {
    const em = app.orm.em.fork() as EntityManager;
    const [{ n }] = await em.getKnex().from('service').count({ n: '*' });
    if (Number(n) === 0) {
      const counts = await loadSampleDirectory(em);
      console.log(`Loaded the sample directory: ${counts.services} services, ${counts.hubs} hubs, ${counts.providers} providers.`);
    }
  }

  const server = app.http.listen(config.port, config.host, () => {
    console.log(`Social prescribing directory: GraphQL at http://localhost:${config.port}/graphql (database ${config.sqlitePath})`);
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    console.error(error.code === 'EADDRINUSE' ? `Port ${config.port} is already in use; set PORT to another port.` : error);
    process.exit(1);
  });

  const shutdown = (signal: string) => {
    console.log(`${signal} received: finishing requests in flight, then closing the database.`);
    server.close(() => {
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
  } else {
    console.error('Start-up failed:', error);
  }
  process.exit(1);
});
