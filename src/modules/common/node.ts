import { Field, ID, InterfaceType } from 'type-graphql';

/**
 * Relay's Node interface: every directory object has a global id that
 * `node(id:)` and `nodes(ids:)` resolve. Implementations expose a `globalId`
 * getter, published as the `id` field.
 */
@InterfaceType({ description: 'An object with a global, opaque id that names its type.' })
export abstract class Node {
  @Field(() => ID, { name: 'id', description: 'Global id; pass it to `node(id:)` to fetch the object again.' })
  globalId!: string;
}
