import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openDatabase } from '../src/orm';
import { generateSyntheticDirectory } from '../seeds/synthetic';

/** The synthetic benchmark directory, built on first use (seed 1, so every run measures the same rows). */
export async function ensureBenchDatabase(path: string, services: number): Promise<void> {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  const orm = await openDatabase({ kind: 'sqlite', path });
  const started = performance.now();
  const counts = await generateSyntheticDirectory(orm.em.getKnex(), { services, seed: 1 });
  console.log(`Built ${path}: ${counts.services} services in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await orm.close(true);
}
