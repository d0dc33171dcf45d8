import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { pino } from 'pino';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { createApp } from './app';
import { ConfigError, describeDatabase, readConfig } from './config';
import { loadSampleDirectory } from '../seeds/sample-seeder';
import type { EntityManager } from '@mikro-orm/knex';

async function main(): Promise<void> {
  const config = readConfig();
  if (config.database.kind === 'sqlite' && config.database.path !== ':memory:') mkdirSync(dirname(config.database.path), { recursive: true });
  const logger = pino({ level: config.logLevel });
  // Read by V8 each time it sets the next full collection's threshold, so it holds from here on (README: HEAP_GROWTH_PERCENT).
  if (config.heapGrowthPercent > 0) setFlagsFromString(`--heap-growing-percent=${config.heapGrowthPercent}`);
  // The configuration is the app's options as they are: every setting of config.ts that the app uses has the same name there.
  const app = await createApp({ ...config, logger }).catch((error: Error) => {
    throw new ConfigError(`could not open the database ${describeDatabase(config.database)}: ${error.message}`);
  });

  if (config.seedWhenEmpty) {
    const em = app.orm.em.fork() as EntityManager;
    const [{ n }] = await em.getKnex().from('service').count({ n: '*' });
    if (Number(n) === 0) {
      const counts = await loadSampleDirectory(em);
      logger.info(counts, 'loaded the sample directory into an empty database');
    }
  }

  const server = app.http.listen(config.port, config.host, () => {
    logger.info(
      {
        port: config.port,
        database: describeDatabase(config.database),
        redis: Boolean(config.redisUrl),
        heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024),
        heapGrowthPercent: config.heapGrowthPercent,
        maxQueryCost: config.capacity.maxCost,
        maxExpensiveInFlight: config.capacity.maxExpensiveInFlight,
      },
      `GraphQL at http://localhost:${config.port}/graphql`,
    );
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    logger.fatal(error.code === 'EADDRINUSE' ? `Port ${config.port} is already in use; set PORT to another port.` : { err: error });
    process.exit(1);
  });

  const shutdown = (signal: string) => {
    logger.info(`${signal} received: finishing requests in flight, then closing the database`);
    // Stop accepting; idle keep-alive connections are closed now, busy ones when their response is sent.
    server.close(() => {
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(`Start-up failed: ${error.message}`);
  } else {
    console.error('Start-up failed:', error);
  }
  process.exit(1);
});
