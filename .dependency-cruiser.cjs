/**
 * The architecture check (`npm run lint`, inside `npm test`; test/architecture.test.ts shows each
 * rule failing on a tree that breaks it): the dependency rules of README "How it is built".
 * @type {import('dependency-cruiser').IConfiguration}
 */
const forbid = (name, comment, from, to, extra = {}) => ({ name, comment, severity: 'error', from: { path: from }, to: typeof to === 'string' ? { path: to } : to, ...extra });

module.exports = {
  forbidden: [
    forbid(
      'no-cycles-between-modules',
      'Module folders depend on each other in one direction only (hub -> service -> place). Entity files are left out of this graph (options.exclude): entities name each other for the schema and the ORM in both directions.',
      '^src/modules/[^/]+',
      { path: '^src/modules/[^/]+', circular: true },
      { scope: 'folder' },
    ),
    forbid('no-file-cycles', 'No file imports itself through others.', '^src/', { circular: true }),
    forbid(
      'resolvers-build-no-sql',
      "Resolvers stay thin: reads go through their module's repository, writes through its writer or commands. They import no query builder.",
      '\\.resolver\\.ts$',
      '(^|/)node_modules/(knex|@mikro-orm/knex)/',
    ),
    forbid('common-imports-no-domain', 'common/ is shared by every module and knows none of them.', '^src/modules/common/', '^src/modules/(?!common/)'),
    forbid('errors-import-no-domain', 'errors/ is imported by everything and imports nothing of the server.', '^src/errors/', '^src/(?!errors/)'),
    forbid(
      'modules-import-no-composition-root',
      'Modules do not reach up into the files that assemble the server (app, context, repositories, schema, config); the request Context reaches them as a type only.',
      '^src/modules/',
      '^src/[^/]+\\.ts$',
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports (`import type { Context }`) are erased: they make no runtime dependency.
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.entity\\.ts$' },
  },
};
