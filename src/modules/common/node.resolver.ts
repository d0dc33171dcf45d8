import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import type { Loaders } from '../../loaders';
import { BadUserInputError } from '../../errors';
import { MAX_IDS, parseGlobalId, type GlobalId } from './global-id';
import { Node } from './node';

/** Loads any node the viewer may see; a location or schedule of a hidden (draft, archived) service counts as hidden. */
async function loadNode(loaders: Loaders, { type, id }: GlobalId): Promise<Node | null> {
  const serviceVisible = async (serviceId: number) => (await loaders.service.byId.load(serviceId)) !== null;
  switch (type) {
    case 'Hub':
      return loaders.hub.byId.load(id);
    case 'Service':
      return loaders.service.byId.load(id);
    case 'Provider':
      return loaders.provider.byId.load(id);
    case 'EligibilityCriterion':
      return loaders.criterion.byId.load(id);
    case 'Category':
      return loaders.category.byId.load(id);
    case 'Account':
      return loaders.account.byId.load(id);
    case 'ApiKey':
      return loaders.account.keyById.load(id);
    case 'ServiceLocation': {
      const location = await loaders.service.locationById.load(id);
      return location && (await serviceVisible(location.service.id)) ? location : null;
    }
    case 'Schedule': {
      const schedule = await loaders.service.scheduleById.load(id);
      const location = schedule && (await loaders.service.locationById.load(schedule.location.id));
      return location && (await serviceVisible(location.service.id)) ? schedule : null;
    }
    case 'AuditEntry':
      return null; // not a Node: read the trail through auditTrail
  }
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
