import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../src/config';

describe('configuration', () => {
  it('has working defaults', () => {
    expect(readConfig({})).toEqual({ port: 4000, host: '0.0.0.0', sqlitePath: 'data/directory.sqlite', seedWhenEmpty: true, playground: true });
  });

  it('reads PORT, DATABASE_URL and switches', () => {
    const config = readConfig({ PORT: '8080', DATABASE_URL: 'sqlite::memory:', SEED_WHEN_EMPTY: 'false', NODE_ENV: 'production' });
    expect(config).toMatchObject({ port: 8080, sqlitePath: ':memory:', seedWhenEmpty: false, playground: false });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ PORT: '-1' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must look like/],
    [{ DATABASE_URL: 'sqlite:' }, /DATABASE_URL "sqlite:" names no file/],
    [{ DATABASE_URL: 'postgres://localhost/test' }, /PostgreSQL/],
    [{ SEED_WHEN_EMPTY: 'maybe' }, /SEED_WHEN_EMPTY must be true or false/],
  ])('refuses %o with a sentence naming the variable', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});
