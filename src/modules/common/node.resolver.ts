import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import type { Loaders } from '../../loaders';
import { BadUserInputError } from '../../errors';
import { MAX_IDS, parseGlobalId, type GlobalId } from './global-id';
import { Node } from './node';

function loadNode(loaders: Loaders, { type, id }: GlobalId): Promise<Node | null> {
  const byType = {
    Hub: loaders.hub.byId,
    Service: loaders.service.byId,
    Provider: loaders.provider.byId,
    EligibilityCriterion: loaders.criterion.byId,
    Category: loaders.category.byId,
    ServiceLocation: loaders.service.locationById,
    Schedule: loaders.service.scheduleById,
  } as const;
  return byType[type].load(id) as Promise<Node | null>;
}

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null if it does not exist.' })
  node(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Node | null> {
    return loadNode(loaders, parseGlobalId(id, 'id'));
  }

  @Query(() => [Node], {
    nullable: 'items',
    description: `Objects by global id, in the order asked (at most ${MAX_IDS}); null for an id that does not exist.`,
  })
  nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() { loaders }: Context): Promise<Array<Node | null>> {
    if (ids.length > MAX_IDS) {
      throw new BadUserInputError('ids', `at most ${MAX_IDS} ids are allowed (got ${ids.length}).`);
    }
    const parsed = ids.map((id, index) => parseGlobalId(id, `ids[${index}]`));
    return Promise.all(parsed.map((globalId) => loadNode(loaders, globalId)));
  }
}
