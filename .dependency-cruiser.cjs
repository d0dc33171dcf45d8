/**
 * The architecture check (run by `npm test`, see test/architecture.test.ts):
 * the dependency rules of README "How it is built".
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles-between-modules',
      severity: 'error',
      comment:
        'Module folders depend on each other in one direction only (e.g. hub -> service, service -> place). Entity files are left out of this graph (options.exclude): entities name each other for the schema and the ORM in both directions.',
      scope: 'folder',
      from: { path: '^src/modules/[^/]+' },
      to: { path: '^src/modules/[^/]+', circular: true },
    },
    {
      name: 'no-file-cycles',
      severity: 'error',
      comment: 'No file imports itself through others.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'resolvers-build-no-sql',
      severity: 'error',
      comment: 'Resolvers stay thin: reads go through their module\'s repository, writes through its writer or commands. They import no query builder.',
      from: { path: '\\.resolver\\.ts$' },
      to: { path: '(^|/)node_modules/(knex|@mikro-orm/knex)/' },
    },
    {
      name: 'common-imports-no-domain',
      severity: 'error',
      comment: 'common/ is shared by every module and knows none of them.',
      from: { path: '^src/modules/common/' },
      to: { path: '^src/modules/(?!common/)' },
    },
    {
      name: 'errors-import-no-domain',
      severity: 'error',
      comment: 'errors/ is imported by everything and imports nothing of the server.',
      from: { path: '^src/errors/' },
      to: { path: '^src/(?!errors/)' },
    },
    {
      name: 'modules-import-no-composition-root',
      severity: 'error',
      comment: 'Modules do not reach up into the files that assemble the server (app, context, repositories, schema, config); the request Context reaches them as a type only.',
      from: { path: '^src/modules/' },
      to: { path: '^src/[^/]+\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports (`import type { Context }`) are erased: they make no runtime dependency.
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.entity\\.ts$' },
  },
};
