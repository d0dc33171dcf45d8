import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import type { Repositories } from '../../repositories';
import { BadUserInputError } from '../../errors';
import { MAX_IDS, parseGlobalId, type GlobalId } from '../common/global-id';
import { Node } from '../common/node';

/** Loads any node the viewer may see; a location or schedule of a hidden (draft, archived) service counts as hidden. */
async function loadNode(repos: Repositories, { type, id }: GlobalId): Promise<Node | null> {
  const serviceVisible = async (serviceId: number) => (await repos.service.byId.load(serviceId)) !== null;
  if (type === 'ServiceLocation') {
    const location = await repos.service.locationById.load(id);
    return location && (await serviceVisible(location.service.id)) ? location : null;
  }
  if (type === 'Schedule') {
    const schedule = await repos.service.scheduleById.load(id);
    const location = schedule && (await repos.service.locationById.load(schedule.location.id));
    return location && (await serviceVisible(location.service.id)) ? schedule : null;
  }
  // An audit entry is not a Node (the trail is read through auditTrail), nor a synonym group (searchSynonyms).
  if (type === 'AuditEntry' || type === 'SynonymGroup') return null;
  // Nor a problem report: read through problemReports alone, so node(id) never shows one to anybody.
  if (type === 'ProblemReport') return null;
  const byId = {
    Hub: repos.hub.byId,
    Service: repos.service.byId,
    Provider: repos.provider.byId,
    EligibilityCriterion: repos.criterion.byId,
    Category: repos.category.byId,
    Account: repos.account.byId,
    ApiKey: repos.account.keyById,
  }[type];
  return byId.load(id);
}

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null if it does not exist.' })
  node(@Arg('id', () => ID) id: string, @Ctx() { repos }: Context): Promise<Node | null> {
    return loadNode(repos, parseGlobalId(id, 'id'));
  }

  @Query(() => [Node], {
    nullable: 'itemsAndList',
    description: `Objects by global id, in the order asked (at most ${MAX_IDS}); null for an id that does not exist.`,
  })
  nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() { repos }: Context): Promise<Array<Node | null>> {
    if (ids.length > MAX_IDS) {
      throw new BadUserInputError('ids', `at most ${MAX_IDS} ids are allowed (got ${ids.length}).`);
    }
    const parsed = ids.map((id, index) => parseGlobalId(id, `ids[${index}]`));
    return Promise.all(parsed.map((globalId) => loadNode(repos, globalId)));
  }
}
