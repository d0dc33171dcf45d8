import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLEnumType,
  GraphQLIncludeDirective,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSkipDirective,
  isListType,
  isNonNullType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { toGlobalId, type NodeTypeName } from '../common/global-id';
import { toDate } from '../common/row-mapper';
import { decodeEnumSet } from '../common/enum-set.type';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../common/pagination';
import { scopeOf } from '../common/cursor';
import { jsonArraySql } from '../common/json-rows';
import { CATALOG, type FieldSpec } from './catalog';

/**
 * The SQL of one compiled read: nested `json_build_object` / `json_agg`
 * (PostgreSQL) or `json_object` / `json_group_array` (SQLite) subqueries,
 * one per nested field, so that the database builds the whole answer and
 * Node receives one text value, as PostGraphile does. What the database
 * cannot write exactly as graphql-js would is finished in Node: a leaf
 * (a base64url id on SQLite, a coordinate rounded as the Latitude scalar
 * rounds it) is a *mark*, replaced in the answer's text (Marks); what needs
 * more than its own value (a cursor signed with the server's secret, openNow
 * against the request's time) is a *fixup*: a path in the parsed answer and
 * the function that finishes the value there.
 *
 * A selection the catalog does not know is `Unsupported`: the caller then
 * executes the query as usual. So a compiled answer is either exactly what
 * graphql-js would give, or not given at all.
 */
export class Unsupported extends Error {}

/** A place in the answer: keys, and '*' for every item of a list. */
export type AnswerPath = string[];

export interface Fixup {
  path: AnswerPath;
  apply: (value: unknown, run: Runtime) => unknown;
}

/**
 * Leaf values finished in the answer's text, without parsing it: each is written by the database as a one-key
 * object, `{"#<name>":<value>}`, which applyMarks replaces by what `mark(value)` gives. A key beginning with `#`
 * is not a GraphQL name, and a user's text cannot hold the marker: in JSON text a quote inside a string is escaped.
 */
export type Marks = Map<string, (value: unknown) => unknown>;

/** What a fixup may depend on that changes from one request to the next (a compiled statement is kept for many). */
export interface Runtime {
  now: Date;
  /** Signs a cursor (cursor.ts), e.g. sign('Service.locations|', ['Age UK', 3]). */
  sign: (scope: string, values: Array<string | number | null>) => string;
  /** The cursor scope of each root list (its filter as the viewer reads it), by its statement's name. */
  scopes: Map<string, string>;
}

/** What the compiler needs of the request. */
export interface CompileInput {
  schema: GraphQLSchema;
  postgres: boolean;
  /**
   * SQLite: whether a scalar subquery's JSON value stays JSON in what holds it (probed once, compiled-reads.ts); when it does
   * not, each one is written again by json(), which parses it. A value sorted by the subquery's own ORDER BY never stays JSON.
   */
  subqueriesKeepJson: boolean;
  fragments: Record<string, FragmentDefinitionNode>;
  /** The request's variables: those the compiler reads are part of what its statement is kept under (compiled-reads.ts). */
  variables: Record<string, unknown>;
}

/** A JSON value as SQL, and the JSON writing rules of the database. */
export class JsonSql {
  readonly fixups: Fixup[] = [];
  readonly marks: Marks = new Map();
  private aliases = 0;

  /** `prefix`: the marks' names are `<prefix>.<n>`: a root field's response key, so they are unique in the statement. */
  constructor(
    readonly input: CompileInput,
    private readonly prefix: string,
  ) {}

  get postgres(): boolean {
    return this.input.postgres;
  }

  alias(): string {
    this.aliases += 1;
    return `j${this.aliases}`;
  }

  object(pairs: Array<[string, string]>): string {
    // Both databases take at most 100 arguments per function.
    if (pairs.length > 50) throw new Unsupported('more than 50 fields on one object');
    const args = pairs.map(([key, sql]) => `'${key}', ${sql}`).join(', ');
    return this.postgres ? `json_build_object(${args})` : `json_object(${args})`;
  }

  array(items: string[]): string {
    return this.postgres ? `json_build_array(${items.join(', ')})` : `json_array(${items.join(', ')})`;
  }

  /**
   * A scalar subquery whose one value is JSON. SQLite forgets that it is JSON when the subquery sorts the value
   * (`sorted`: its own ORDER BY over the value's row), and in some versions past any subquery (subqueriesKeepJson).
   */
  subquery(sql: string, sorted = false): string {
    return this.postgres || (this.input.subqueriesKeepJson && !sorted) ? sql : `json(${sql})`;
  }

  /** The rows of `from` (a table as `alias`, joins, where) as a JSON array of `item`, in `order`; at most `limit` of them. */
  rows(item: string, alias: string, from: string, order: string, limit?: number): string {
    return jsonArraySql(this.postgres ? 'postgresql' : 'sqlite', item, alias, from, order, limit, !this.input.subqueriesKeepJson);
  }

  boolean(sql: string): string {
    return this.postgres ? sql : `json(case when ${sql} is null then null when ${sql} then 'true' else 'false' end)`;
  }

  literal(value: boolean | string): string {
    if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
    return this.postgres ? String(value) : `json('${value}')`;
  }

  count(from: string): string {
    return `(select count(*) from ${from})`;
  }

  fix(path: AnswerPath, apply: Fixup['apply']): void {
    this.fixups.push({ path, apply });
  }

  /** The leaf `sql`, finished by `apply` in the answer's text (Marks). */
  mark(sql: string, apply: (value: unknown) => unknown): string {
    const name = `${this.prefix}.${this.marks.size}`;
    this.marks.set(name, apply);
    return this.object([[`#${name}`, sql]]);
  }

  /** The value of a leaf field of GraphQL type `type`, from the SQL `sql`, as graphql-js would serialize it. */
  leaf(type: GraphQLOutputType, sql: string): string {
    const nullable = !isNonNullType(type);
    const inner = isNonNullType(type) ? type.ofType : type;
    const named = getNamedType(type);
    if (isListType(inner)) {
      // A list column is an enum set (",A,B,": enum-set.type.ts).
      const names = named instanceof GraphQLEnumType ? enumNames(named) : undefined;
      if (!(named instanceof GraphQLEnumType) && named.name !== 'String') throw new Unsupported(`a list of ${named.name}`);
      return this.enumSet(sql, names);
    }
    if (named instanceof GraphQLEnumType) {
      const names = enumNames(named);
      return names ? `(case ${sql} ${[...names].map(([value, name]) => `when '${value}' then '${name}'`).join(' ')} end)` : sql;
    }
    if (!(named instanceof GraphQLScalarType)) throw new Unsupported(`${named.name} is not a leaf`);
    switch (named.name) {
      case 'String':
      case 'Int':
      case 'Float':
      case 'ID':
      case 'UUID':
      case 'LocalTime':
      case 'LocalDate':
        return sql;
      case 'Boolean':
        return this.boolean(sql);
      case 'DateTime':
        if (this.postgres) return `to_char(${sql} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
        return this.mark(sql, (value) => (value === null ? null : toDate(value)!.toISOString()));
      // These check what is stored (a stored address they refuse fails the answer, as it does field by field);
      // the coordinates round to 8 decimal places: done by the scalars themselves.
      case 'URL':
      case 'EmailAddress':
      case 'Latitude':
      case 'Longitude':
        return this.mark(sql, (value) => (value === null && nullable ? null : named.serialize(value)));
      default:
        throw new Unsupported(`scalar ${named.name}`);
    }
  }

  private enumSet(sql: string, names: Map<string, string> | undefined): string {
    if (this.postgres) {
      // A name that is another member's value would be mapped twice by the replacements below.
      if (names && [...names.values()].some((name) => names.has(name) && names.get(name) !== name)) throw new Unsupported('an enum set whose names are values');
      // ",MO,TU," becomes ",MONDAY,TUESDAY," by replacing each ",value," (its trailing comma is the next one's leading
      // comma): members are unique, and no name is another member's value, so no name is replaced again. No subquery
      // per row: 0.5 ms of PostgreSQL's 6.4 per deep slice (EXPLAIN ANALYZE).
      const mapped = names ? [...names].reduce((text, [value, name]) => `replace(${text}, ',${value},', ',${name},')`, sql) : sql;
      return `coalesce(array_to_json(string_to_array(trim(both ',' from ${mapped}), ',')), '[]'::json)`;
    }
    // SQLite's parser allows only so much nesting (a deep slice overflows it): the set is split here.
    return this.mark(sql, (value) => decodeEnumSet(String(value ?? '')).map((member) => names?.get(member) ?? member));
  }

  /** A record's global id: base64url("Type:id"), as toGlobalId writes it. */
  globalId(type: NodeTypeName, id: string): string {
    if (this.postgres) return `translate(rtrim(encode(convert_to('${type}:' || ${id}, 'UTF8'), 'base64'), '='), '+/', '-_')`;
    return this.mark(id, (value) => (value === null ? null : toGlobalId(type, Number(value))));
  }
}

/** An enum's stored values and their GraphQL names, or undefined when every value is its own name. */
function enumNames(type: GraphQLEnumType): Map<string, string> | undefined {
  const values = type.getValues();
  for (const { value } of values) if (typeof value !== 'string' || !/^[A-Za-z0-9_]+$/.test(value)) throw new Unsupported(`enum ${type.name}`);
  if (values.every(({ name, value }) => name === value)) return undefined;
  return new Map(values.map(({ name, value }) => [String(value), name]));
}

/**
 * The fields of `type` the selections ask for, by response key, in the
 * order graphql-js answers them (its collectFields): fragments whose type
 * condition applies, `@skip` and `@include` as given.
 */
export function collectFields(input: CompileInput, type: GraphQLObjectType, nodes: readonly FieldNode[]): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const applies = (condition: string | undefined) => {
    if (!condition || condition === type.name) return true;
    const abstract = input.schema.getType(condition);
    return abstract !== undefined && abstract !== null && !(abstract instanceof GraphQLObjectType) && input.schema.isSubType(abstract as never, type);
  };
  const included = (node: FieldNode | SelectionSetNode['selections'][number]) => {
    const skip = getDirectiveValues(GraphQLSkipDirective, node, input.variables);
    if (skip?.if === true) return false;
    const include = getDirectiveValues(GraphQLIncludeDirective, node, input.variables);
    return include?.if !== false;
  };
  const walk = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        fields.set(key, [...(fields.get(key) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value)) walk(selection.selectionSet);
      } else {
        const name = selection.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        const fragment = input.fragments[name];
        if (fragment && applies(fragment.typeCondition.name.value)) walk(fragment.selectionSet);
      }
    }
  };
  for (const node of nodes) walk(node.selectionSet);
  return fields;
}

/** The JSON object SQL of the row `alias` of `typeName` with the fields `nodes` select. */
export function objectSql(j: JsonSql, typeName: string, nodes: readonly FieldNode[], alias: string, path: AnswerPath): string {
  const type = j.input.schema.getType(typeName);
  const spec = CATALOG[typeName];
  if (!(type instanceof GraphQLObjectType) || !spec) throw new Unsupported(typeName);
  return fieldsSql(j, type, spec.fields, nodes, alias, path);
}

function fieldsSql(j: JsonSql, type: GraphQLObjectType, specs: Record<string, FieldSpec>, nodes: readonly FieldNode[], alias: string, path: AnswerPath): string {
  const pairs: Array<[string, string]> = [];
  // Fields worked out from the same input (openNow, openUntil, nextOpen from a location's rules) share one subquery.
  const computed = new Map<ComputedSpec['input'], Array<[string, ComputedSpec]>>();
  for (const [key, fieldNodes] of collectFields(j.input, type, nodes)) {
    const name = fieldNodes[0].name.value;
    if (name === '__typename') {
      pairs.push([key, j.literal(type.name)]);
      continue;
    }
    const field = type.getFields()[name];
    const spec = specs[name];
    if (!field || !spec) throw new Unsupported(`${type.name}.${name}`);
    if (spec.kind === 'computed') {
      if (Object.keys(getArgumentValues(field, fieldNodes[0], j.input.variables)).length > 0) throw new Unsupported(`arguments of ${field.name}`);
      computed.set(spec.input, [...(computed.get(spec.input) ?? []), [key, spec]]);
      // In its place in the answer's order; its value comes from the input, written last (below) and removed.
      pairs.push([key, 'null']);
      continue;
    }
    pairs.push([key, fieldSql(j, field, spec, fieldNodes, alias, [...path, key])]);
  }
  for (const [input, fields] of computed) {
    // Not a GraphQL name, so no alias of the query can be the same key.
    const hidden = `#input${pairs.length}`;
    pairs.push([hidden, j.subquery(input(alias, j.postgres))]);
    j.fix(path, (value, run) => {
      if (value === null || typeof value !== 'object') return value;
      const object = value as Record<string, unknown>;
      for (const [key, spec] of fields) object[key] = spec.compute(object[hidden], run.now);
      delete object[hidden];
      return object;
    });
  }
  return j.object(pairs);
}

type ComputedSpec = Extract<FieldSpec, { kind: 'computed' }>;

function fieldSql(j: JsonSql, field: GraphQLField<unknown, unknown>, spec: FieldSpec, nodes: FieldNode[], alias: string, path: AnswerPath): string {
  const args = getArgumentValues(field, nodes[0], j.input.variables);
  if (spec.kind !== 'connection' && Object.keys(args).length > 0) throw new Unsupported(`arguments of ${field.name}`);
  switch (spec.kind) {
    case 'value':
      return j.leaf(field.type, spec.sql(alias));
    case 'json':
      return spec.sql(alias, j.postgres);
    case 'id':
      return j.globalId(spec.type, `${alias}.id`);
    case 'object': {
      const type = getNamedType(field.type);
      if (!(type instanceof GraphQLObjectType)) throw new Unsupported(field.name);
      return fieldsSql(j, type, spec.fields, nodes, alias, path);
    }
    case 'one': {
      const child = j.alias();
      return j.subquery(`(select ${objectSql(j, spec.type, nodes, child, path)} from ${CATALOG[spec.type].table} ${child} where ${spec.where(child, alias)})`);
    }
    case 'list': {
      const child = j.alias();
      return j.rows(objectSql(j, spec.type, nodes, child, [...path, '*']), child, spec.from(child, alias), spec.order(child));
    }
    case 'connection':
      return nestedConnectionSql(j, field, spec, nodes, args, alias, path);
    case 'computed':
      throw new Error('computed fields are written by fieldsSql');
  }
}

/** A nested connection's first page (no `after`): its edges, nodes, pageInfo and totalCount, as asked. */
function nestedConnectionSql(
  j: JsonSql,
  field: GraphQLField<unknown, unknown>,
  spec: Extract<FieldSpec, { kind: 'connection' }>,
  nodes: FieldNode[],
  args: Record<string, unknown>,
  parent: string,
  path: AnswerPath,
): string {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  // Anything else (a cursor, a page size out of range) is answered by the resolvers, errors included.
  if (args.after !== undefined && args.after !== null) throw new Unsupported('after on a nested list');
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) throw new Unsupported('first out of range');
  const connection = getNamedType(field.type);
  if (!(connection instanceof GraphQLObjectType)) throw new Unsupported(field.name);
  return connectionSql(j, connection, nodes, path, {
    nodeType: spec.type,
    from: (alias) => spec.from(alias, parent),
    order: spec.order.map((term) => term.sql),
    first,
    scope: () => scopeOf(spec.scope),
    hasPreviousPage: false,
    totalCount: () => j.count(spec.from(j.alias(), parent)),
  });
}

/** Where a connection's page comes from. */
export interface ConnectionSource {
  nodeType: string;
  /** The rows the page is taken from, as `alias`: a table with its joins and condition, or a statement's rows. */
  from: (alias: string) => string;
  /** The list's order, each term a column of the row as `alias`, the last one unique: its cursors sign these values. */
  order: Array<(alias: string) => string>;
  /** The page's size; `from` may hold one row more, which only tells that there is a next page. */
  first: number;
  /** What its cursors belong to. */
  scope: (run: Runtime) => string;
  hasPreviousPage: boolean;
  totalCount: () => string;
}

/** A connection's fields as asked (edges, nodes, pageInfo, totalCount), over `source`. */
export function connectionSql(j: JsonSql, connection: GraphQLObjectType, nodes: readonly FieldNode[], path: AnswerPath, source: ConnectionSource): string {
  const { from, order, first } = source;
  const sign = (value: unknown, run: Runtime) => (value === null ? null : run.sign(source.scope(run), value as Array<string | number | null>));
  const orderBy = (alias: string, descending = false) => order.map((term) => `${term(alias)}${descending ? ' desc' : ''}`).join(', ');
  const rows = (item: string, alias: string) => j.rows(item, alias, from(alias), orderBy(alias), first);
  const sortValues = (alias: string) => j.array(order.map((term) => term(alias)));
  /** The sort values of the page's first (or last) row, or null. */
  const boundary = (last: boolean) => {
    const alias = j.alias();
    return j.subquery(`(select ${sortValues(alias)} from (select ${alias}.* from ${from(alias)} order by ${orderBy(alias)} limit ${first}) ${alias} order by ${orderBy(alias, last)} limit 1)`, true);
  };
  const pairs: Array<[string, string]> = [];
  for (const [key, fieldNodes] of collectFields(j.input, connection, nodes)) {
    const name = fieldNodes[0].name.value;
    const here = [...path, key];
    if (name === '__typename') pairs.push([key, j.literal(connection.name)]);
    else if (name === 'nodes') {
      const alias = j.alias();
      pairs.push([key, rows(objectSql(j, source.nodeType, fieldNodes, alias, [...here, '*']), alias)]);
    } else if (name === 'edges') {
      const edgeType = getNamedType(connection.getFields().edges.type) as GraphQLObjectType;
      const alias = j.alias();
      const edgePairs: Array<[string, string]> = [];
      for (const [edgeKey, edgeNodes] of collectFields(j.input, edgeType, fieldNodes)) {
        const edgeField = edgeNodes[0].name.value;
        if (edgeField === '__typename') edgePairs.push([edgeKey, j.literal(edgeType.name)]);
        else if (edgeField === 'node') edgePairs.push([edgeKey, objectSql(j, source.nodeType, edgeNodes, alias, [...here, '*', edgeKey])]);
        else if (edgeField === 'cursor') {
          j.fix([...here, '*', edgeKey], sign);
          edgePairs.push([edgeKey, sortValues(alias)]);
        } else throw new Unsupported(`${edgeType.name}.${edgeField}`);
      }
      pairs.push([key, rows(j.object(edgePairs), alias)]);
    } else if (name === 'pageInfo') {
      const pageInfo = getNamedType(connection.getFields().pageInfo.type) as GraphQLObjectType;
      const infoPairs: Array<[string, string]> = [];
      for (const [infoKey, infoNodes] of collectFields(j.input, pageInfo, fieldNodes)) {
        const infoField = infoNodes[0].name.value;
        if (infoField === '__typename') infoPairs.push([infoKey, j.literal(pageInfo.name)]);
        else if (infoField === 'hasNextPage') infoPairs.push([infoKey, j.boolean(`${j.count(from(j.alias()))} > ${first}`)]);
        else if (infoField === 'hasPreviousPage') infoPairs.push([infoKey, j.literal(source.hasPreviousPage)]);
        else if (infoField === 'startCursor' || infoField === 'endCursor') {
          j.fix([...here, infoKey], sign);
          infoPairs.push([infoKey, boundary(infoField === 'endCursor')]);
        } else throw new Unsupported(`PageInfo.${infoField}`);
      }
      pairs.push([key, j.object(infoPairs)]);
    } else if (name === 'totalCount') pairs.push([key, source.totalCount()]);
    else throw new Unsupported(`${connection.name}.${name}`);
  }
  return j.object(pairs);
}

/** Finishes an answer parsed from the database's JSON: every fixup at every place its path reaches. */
/** A mark as the database writes it (PostgreSQL's json_build_object puts spaces around the colon), with its scalar value. */
const MARK = /\{"#(\w+\.\d+)"\s*:\s*(null|true|false|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|"(?:[^"\\]|\\.)*")\s*\}/g;

/** The answer's text with every mark replaced by its value (Marks); a mark left over (a value it could not read) is an error. */
export function applyMarks(text: string, marks: Marks): string {
  if (marks.size === 0) return text;
  const done = text.replace(MARK, (_whole, name: string, value: string) => {
    const apply = marks.get(name);
    if (!apply) throw new Error(`no mark ${name}`);
    return JSON.stringify(apply(JSON.parse(value)) ?? null);
  });
  if (done.includes('{"#')) throw new Error('a marked value was left in the answer');
  return done;
}

export function applyFixups(data: unknown, fixups: readonly Fixup[], run: Runtime): unknown {
  for (const { path, apply } of fixups) {
    const visit = (value: unknown, at: number): void => {
      if (value === null || typeof value !== 'object') return;
      const key = path[at];
      if (key === '*') {
        const items = value as unknown[];
        if (at === path.length - 1) items.forEach((item, index) => (items[index] = apply(item, run)));
        else for (const item of items) visit(item, at + 1);
        return;
      }
      const record = value as Record<string, unknown>;
      if (at === path.length - 1) record[key] = apply(record[key], run);
      else visit(record[key], at + 1);
    };
    visit(data, 0);
  }
  return data;
}
