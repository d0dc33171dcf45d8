import { BadUserInputError } from '../../errors';
import { checkBounds, type Bounds, type Circle } from '../place/geo';
import type { BoundsInput, NearInput } from '../place/place.inputs';
import { readNear } from '../place/place';
import { readSearchCriteria, type SearchContext, type SearchCriteria } from '../service/search-criteria';
import type { ServiceFilter } from '../service/service.inputs';
import { HubOrder, type HubFilter } from './hub.inputs';
import type { HubKind, Region } from './hub.enums';
import type { AccessibilityFeature } from '../place/accessibility';

/** The arguments of `hubs(...)`, read and checked: what the map query (hub.repository.ts) is built from. */
export interface HubCriteria {
  regions?: Region[];
  kinds?: HubKind[];
  accessibility?: AccessibilityFeature[];
  within?: Bounds;
  near?: Circle;
  /** The services each hub counts; with `onlyWithServices`, hubs without one are left out. */
  services: SearchCriteria;
  onlyWithServices: boolean;
  order: HubOrder;
}

export interface HubArguments {
  filter: HubFilter | null;
  within: BoundsInput | null;
  near: NearInput | null;
  serviceFilter: ServiceFilter | null;
  orderBy: HubOrder | null;
}

export async function readHubCriteria(context: SearchContext, { filter, within, near, serviceFilter, orderBy }: HubArguments): Promise<HubCriteria> {
  if (within) checkBounds(within, 'within');
  const circle = near ? await readNear(near, context.geocoder, 'near') : undefined;
  const services = await readSearchCriteria(context, serviceFilter, null, 'serviceFilter');
  const order = orderBy ?? (circle ? HubOrder.DISTANCE : HubOrder.NAME);
  if (order === HubOrder.DISTANCE && !circle) throw new BadUserInputError('orderBy', 'DISTANCE needs a place to measure from (near).');
  return {
    regions: filter?.regions ?? undefined,
    kinds: filter?.kinds ?? undefined,
    accessibility: filter?.accessibility?.length ? [...new Set(filter.accessibility)] : undefined,
    within: within ?? undefined,
    near: circle,
    services,
    onlyWithServices: Boolean(serviceFilter),
    order,
  };
}
