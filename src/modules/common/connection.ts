import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination';

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    defaultValue: DEFAULT_PAGE_SIZE,
    description: `How many items to return, 0 to ${MAX_PAGE_SIZE}.`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return items after this cursor (an `endCursor` or edge `cursor` from the same query).' })
  after?: string | null;
}

class LazyEdge<T> {
  constructor(
    readonly node: T,
    private readonly index: number,
    private readonly cursorAt: (index: number) => string,
  ) {}

  get cursor(): string {
    return this.cursorAt(this.index);
  }
}

@ObjectType({ simpleResolvers: true, description: 'Relay page information.' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/**
 * What a connection field resolves to; `totalCount` is computed only when
 * asked for, and so is each cursor (a checksum per edge adds up over a deep
 * slice that never asks for one).
 */
export class Connection<T> {
  readonly pageInfo: PageInfo;

  constructor(
    readonly nodes: T[],
    /** The cursor of the node at `index`. */
    private readonly cursor: (index: number) => string,
    page: { hasNextPage: boolean; hasPreviousPage: boolean },
    private readonly count: number | (() => Promise<number>),
    /** Per-edge fields beside cursor and node (e.g. distanceKm), in node order. */
    private readonly edgeFields?: Array<Record<string, unknown>>,
  ) {
    const last = nodes.length - 1;
    this.pageInfo = {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      get startCursor() {
        return last >= 0 ? cursor(0) : null;
      },
      get endCursor() {
        return last >= 0 ? cursor(last) : null;
      },
    };
  }

  get edges(): Array<{ cursor: string; node: T }> {
    return this.nodes.map((node, index) => Object.assign(new LazyEdge(node, index, this.cursor), this.edgeFields?.[index]));
  }

  get totalCount(): number | Promise<number> {
    return typeof this.count === 'function' ? this.count() : this.count;
  }
}

/** The fields every edge has; extend it to add per-edge fields such as a distance. */
export function edgeType<T extends object>(name: string, nodeType: ClassType<T>) {
  // Plain data, read by property name: no middleware needed on their fields.
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field(() => String, { description: 'Pass as `after` to continue after this item.' })
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }
  return Edge;
}

/** Declares `<Name>Connection` (and `<Name>Edge` unless an edge type is given) for a node type. */
export function connectionType<T extends object>(name: string, nodeType: ClassType<T>, edge: ClassType<object> = edgeType(name, nodeType)): ClassType<Connection<T>> {
  @ObjectType(`${name}Connection`, { simpleResolvers: true, description: `A page of ${nodeType.name} items.` })
  class ConnectionType {
    @Field(() => [edge])
    edges!: object[];

    @Field(() => [nodeType], { description: 'The nodes of `edges`, for clients that need no cursors.' })
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'How many items the whole list has, across all pages.' })
    totalCount!: number;
  }

  return ConnectionType as unknown as ClassType<Connection<T>>;
}
