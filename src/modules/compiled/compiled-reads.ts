import { createHash } from 'node:crypto';
import { getArgumentValues, getNamedType, getVariableValues, GraphQLObjectType, Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLField, type GraphQLSchema } from 'graphql';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { Knex } from '@mikro-orm/knex';
import type { Logger } from 'pino';
import type { Context } from '../../context';
import type { CursorCodec } from '../common/cursor';
import { dialectOf, rawRows } from '../common/dialect';
import { parseTypedId, type NodeTypeName } from '../common/global-id';
import { readSearchCriteria } from '../service/search-criteria';
import { countSearch } from '../insights/count-search';
import { CATALOG } from './catalog';
import { applyFixups, applyMarks, collectFields, connectionSql, JsonSql, objectSql, Unsupported, type CompileInput, type Fixup, type Marks, type Runtime } from './compiler';

/**
 * Reads compiled to one SQL statement (COMPILED_READS, on by default): an
 * Apollo plugin that, before graphql-js would execute a query, tries to
 * compile it (compiler.ts over catalog.ts): the database then builds the
 * whole answer as JSON, which goes to the client as the database wrote it,
 * or finished by marks in its text (ids on SQLite, coordinates) and fixups (cursors, openNow).
 * A query the compiler does not know in full (a mutation, facets, a search
 * with filters, a distance, capacity, a field of a type it has no SQL for)
 * is executed field by field as before, and so is one whose compiled
 * statement fails: the answer is the same either way (test/compiled-reads.test.ts
 * compares them), only cheaper. Limits, cost, admission, caching headers
 * and the request log work as for any query: they run before and after.
 *
 * Each root field's SQL is compiled once and kept with its parsed document
 * (Apollo keeps documents by their hash), under the values of the variables
 * it read (those of `@skip`, `@include` and nested `first`): a front end's
 * queries are compiled once, whatever ids they ask for. On PostgreSQL the
 * statement is a named prepared statement, so the database plans it once
 * per connection, not on every request.
 */

/** An answer's `data` as the database wrote it: the response's text is spliced in, not parsed and written again (see createApp's stringifyResult). */
export class RawJson {
  constructor(readonly text: string) {}

  parse(): Record<string, unknown> {
    return JSON.parse(this.text) as Record<string, unknown>;
  }
}

/** One root field compiled: its JSON SQL over its statements (`q_<key>`), extra columns of the row, its marks and fixups. */
interface RootSql {
  sql: string;
  extra: string[];
  marks: Marks;
  fixups: Fixup[];
}

/** What one root field of one request brings to the statement: its row statements, and what it does with the answer. */
interface RootRun {
  ctes: Array<[string, Knex.QueryBuilder]>;
  scopes: Array<[string, string]>;
  after?: (row: Record<string, unknown>) => Promise<void>;
}

/** A root field's SQL kept for its document: under the root's own shape and the values of the variables its compilation read. */
interface Kept {
  names: string[];
  key: string;
  root: RootSql | 'unsupported';
}

/** At most this many shapes of one root field are kept (each combination of @skip, @include and page sizes is one). */
const SHAPES_PER_FIELD = 16;

export function compiledReadsPlugin({
  schema,
  cursors,
  logger,
  subqueriesKeepJson,
}: {
  schema: GraphQLSchema;
  cursors: CursorCodec;
  logger: Logger;
  /** SQLite's answer to subqueriesKeepJson(), asked when the app starts. */
  subqueriesKeepJson: boolean;
}): ApolloServerPlugin<Context> {
  const kept = new WeakMap<FieldNode, Kept[]>();
  const sign = (scope: string, values: Array<string | number | null>) => cursors.encode(scope, values);
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ operation, document, request, contextValue }) {
          if (operation?.operation !== 'query') return null;
          // A root field the compiler has no statement for (the map's hubs, a search by text, introspection): nothing to try.
          if (operation.selectionSet.selections.some((selection) => selection.kind === Kind.FIELD && selection.name.value !== '__typename' && !Object.hasOwn(ROOTS, selection.name.value))) return null;
          const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          if (coerced.errors) return null;
          const knex = contextValue.em.getKnex();
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          const input: CompileInput = { schema, postgres: dialectOf(knex) === 'postgresql', subqueriesKeepJson, fragments, variables: coerced.coerced };
          let statement: { sql: string; bindings: Knex.QueryBuilder[]; marks: Marks; fixups: Fixup[]; runs: RootRun[] };
          try {
            statement = await plan(input, kept, contextValue, operation.selectionSet.selections as FieldNode[]);
          } catch (error) {
            // Not compiled (or a bad argument, which the resolvers answer with their own error).
            if (!(error instanceof Unsupported)) logger.debug({ err: error }, 'read not compiled');
            return null;
          }
          let data: RawJson | Record<string, unknown>;
          try {
            const [row] = await run(knex, input.postgres, statement.sql, statement.bindings);
            // Marked leaves are finished in the text; only what needs the whole object (cursors, openNow) parses it.
            const text = applyMarks(String(row.data), statement.marks);
            const runtime: Runtime = { now: contextValue.now, sign, scopes: new Map(statement.runs.flatMap((root) => root.scopes)) };
            data = statement.fixups.length === 0 ? new RawJson(text) : (applyFixups(JSON.parse(text), statement.fixups, runtime) as Record<string, unknown>);
            for (const root of statement.runs) await root.after?.(row);
          } catch (error) {
            logger.warn({ err: error, requestId: contextValue.requestId }, 'compiled read failed: executed field by field instead');
            return null;
          }
          return { http: { headers: new HeaderMap(), status: undefined }, body: { kind: 'single', singleResult: { data: data as unknown as Record<string, unknown> } } };
        },
      };
    },
  };
}

/**
 * Whether this SQLite keeps JSON built in a scalar subquery JSON in what holds it, for the shapes the compiler
 * writes: an object, and an array of objects over ordered rows, each holding an object of its own. SQLite 3.44
 * does (the subtype travels with the value); one that did not would have each such value written again by json().
 */
export async function subqueriesKeepJson(knex: Knex): Promise<boolean> {
  if (dialectOf(knex) === 'postgresql') return true;
  const probe =
    "select json_object('one', (select json_object('b', 1)), 'list', (select json_group_array(json_object('v', x.v, 'one', (select json_object('c', x.v)))) from (select 2 as v union all select 1 order by v limit 5) x)) as data";
  const [row] = await rawRows<{ data: unknown }>(knex, probe);
  return String(row.data) === '{"one":{"b":1},"list":[{"v":1,"one":{"c":1}},{"v":2,"one":{"c":2}}]}';
}

/** The statement on PostgreSQL prepared under a name from its text (planned once per connection), on SQLite as it is. */
async function run(knex: Knex, postgres: boolean, sql: string, bindings: Knex.QueryBuilder[]): Promise<Array<Record<string, unknown>>> {
  if (!postgres) return rawRows(knex, sql, bindings);
  const flat = knex.raw(sql, bindings).toSQL();
  const name = `spd_${createHash('sha1').update(flat.sql).digest('base64url').slice(0, 24)}`;
  const result = (await knex.raw(flat.sql, flat.bindings as Knex.RawBinding[]).options({ name })) as { rows: Array<Record<string, unknown>> };
  return result.rows;
}

/** Every root field of the query compiled (or kept from before) with this request's statements, or Unsupported. */
async function plan(input: CompileInput, kept: WeakMap<FieldNode, Kept[]>, context: Context, selections: FieldNode[]) {
  const { schema } = input;
  const query = schema.getQueryType()!;
  const pairs: Array<[string, string]> = [];
  const extra: string[] = [];
  const fixups: Fixup[] = [];
  const marks: Marks = new Map();
  const runs: RootRun[] = [];
  const rootNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'query' }, selectionSet: { kind: Kind.SELECTION_SET, selections } } as FieldNode;
  for (const [key, nodes] of collectFields(input, query, [rootNode])) {
    const name = nodes[0].name.value;
    if (name === '__typename') {
      pairs.push([key, `'${query.name}'`]);
      continue;
    }
    const field = query.getFields()[name];
    const root = ROOTS[name];
    if (!field || !root) throw new Unsupported(`Query.${name}`);
    const cte = `q_${key}`;
    const args = getArgumentValues(field, nodes[0], input.variables);
    const { shape, run } = await root.prepare(context, args, cte);
    const compiled = keptOrCompiled(kept, nodes, input, shape, (tracked) => root.compile(new JsonSql(tracked, key), field, nodes, key, cte, shape));
    pairs.push([key, compiled.sql]);
    extra.push(...compiled.extra);
    fixups.push(...compiled.fixups);
    for (const [name, mark] of compiled.marks) marks.set(name, mark);
    runs.push(run);
  }
  // The object of the root fields: it marks nothing itself.
  const data = new JsonSql(input, '').object(pairs);
  const ctes = runs.flatMap((root) => root.ctes);
  const sql = `${ctes.length > 0 ? `with ${ctes.map(([name]) => `${name} as ?`).join(', ')} ` : ''}select ${input.postgres ? `${data}::text` : data} as data${extra.map((column) => `, ${column}`).join('')}`;
  return { sql, bindings: ctes.map(([, builder]) => builder), marks, fixups, runs };
}

/** A root field's SQL kept from an earlier request of the same document and shape, or compiled now (and kept). */
function keptOrCompiled(kept: WeakMap<FieldNode, Kept[]>, nodes: FieldNode[], input: CompileInput, shape: unknown, compile: (tracked: CompileInput) => RootSql): RootSql {
  const entries = kept.get(nodes[0]) ?? [];
  const keyOf = (names: string[]) => JSON.stringify([shape, ...names.map((name) => input.variables[name] ?? null)]);
  const found = entries.find((entry) => entry.key === keyOf(entry.names));
  if (found) {
    if (found.root === 'unsupported') throw new Unsupported('kept as not compiled');
    return found.root;
  }
  // The variables the compilation reads (through @skip, @include and arguments) decide the SQL: they are what it is kept under.
  const names = new Set<string>();
  const variables = new Proxy(input.variables, {
    get: (target, name) => {
      if (typeof name === 'string') names.add(name);
      return target[name as string];
    },
    getOwnPropertyDescriptor: (target, name) => {
      if (typeof name === 'string') names.add(name);
      return Object.getOwnPropertyDescriptor(target, name);
    },
  });
  let root: RootSql | 'unsupported';
  try {
    root = compile({ ...input, variables });
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
    root = 'unsupported';
  }
  const sorted = [...names].sort();
  kept.set(nodes[0], [{ names: sorted, key: keyOf(sorted), root }, ...entries].slice(0, SHAPES_PER_FIELD));
  if (root === 'unsupported') throw new Unsupported('not compiled');
  return root;
}

/** A root field the compiler answers: what of its arguments decides its SQL (`shape`), this request's statements, and its SQL. */
interface RootField {
  prepare(context: Context, args: Record<string, unknown>, cte: string): Promise<{ shape: unknown; run: RootRun }>;
  compile(j: JsonSql, field: GraphQLField<unknown, unknown>, nodes: FieldNode[], key: string, cte: string, shape: unknown): RootSql;
}

/** A root field looking up one record by its global id, with the statement of its row (as the viewer may see it). */
function byId(type: NodeTypeName, rows: (context: Context, id: number) => Knex.QueryBuilder): RootField {
  return {
    async prepare(context, args, cte) {
      let id: number;
      try {
        id = parseTypedId(String(args.id), type, 'id');
      } catch {
        throw new Unsupported('a malformed id');
      }
      return { shape: null, run: { ctes: [[cte, rows(context, id)]], scopes: [] } };
    },
    compile: (j, _field, nodes, key, cte) => ({ sql: j.subquery(`(select ${objectSql(j, type, nodes, cte, [key])} from ${cte})`), extra: [], marks: j.marks, fixups: j.fixups }),
  };
}

/** `services` without filters, place or order: a page of every service the viewer may see, by name. */
const SERVICES: RootField = {
  async prepare(context, args, cte) {
    if (args.filter != null || args.near != null || args.orderBy != null || args.first === 0) throw new Unsupported('a search with filters');
    const criteria = await readSearchCriteria(context, null, null);
    const page = { first: args.first as number | undefined, after: args.after as string | undefined };
    const statements = context.repos.service.pageStatements(criteria, null, page);
    const order = statements.order.map((term) => term.key);
    return {
      shape: { first: statements.request.first, after: statements.request.after !== undefined, order },
      run: {
        ctes: [
          [cte, statements.rows],
          [`${cte}_n`, statements.count],
        ],
        scopes: [[cte, statements.request.scope]],
        // Counted for search insights as the resolver counts it: the first page only, whether it found anything.
        after: (row) => countSearch(context.searchCounter, { categoryIds: criteria.categoryIds, page, at: context.now }, { nodes: { length: Number(row[`${cte}_rows`]) } as unknown[], totalCount: 0 }),
      },
    };
  },
  compile(j, field, nodes, key, cte, shape) {
    const { first, after, order: keys } = shape as { first: number; after: boolean; order: string[] };
    const connection = getNamedType(field.type);
    if (!(connection instanceof GraphQLObjectType)) throw new Unsupported(field.name);
    const sql = connectionSql(j, connection, nodes, [key], {
      nodeType: 'Service',
      // The statement's rows: first+1 of them, each with its sort columns (pageStatements).
      from: (alias) => `${cte} ${alias}`,
      order: keys.map((column) => (alias: string) => `${alias}.${column}`),
      first,
      scope: (run) => run.scopes.get(cte)!,
      hasPreviousPage: after,
      totalCount: () => `(select n from ${cte}_n)`,
    });
    return { sql, extra: [`${j.count(cte)} as ${cte}_rows`], marks: j.marks, fixups: j.fixups };
  },
};

const ROOTS: Record<string, RootField> = {
  service: byId('Service', (context, id) => context.repos.service.visibleById(id)),
  hub: byId('Hub', (context, id) => context.em.getKnex().from(CATALOG.Hub.table).where('id', id)),
  provider: byId('Provider', (context, id) => context.em.getKnex().from(CATALOG.Provider.table).where('id', id)),
  services: SERVICES,
};
