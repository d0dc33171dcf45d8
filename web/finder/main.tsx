import 'leaflet/dist/leaflet.css';
import '../shared/base.css';
import './finder.css';
import { render } from 'preact';
import { Provider } from '@urql/preact';
import { createDirectoryClient } from '../shared/graphql-client';
import { useLocation } from '../shared/router';
import { FinderView } from './finder-view';
import { ServicePage } from './service-page';
import { ShortlistView } from './shortlist-view';
import { ShortlistNav } from './shortlist-controls';

const SERVICE_PATH = /^\/services\/([^/]+)\/?$/;

/** The server sends this page at `/` and `/services/:id`; the shortlist is `/?shortlist=<ids>`, so its link works on any copy of the server. */
function App() {
  const place = useLocation();
  const service = SERVICE_PATH.exec(place.pathname);
  if (service) return <ServicePage id={decodeURIComponent(service[1])} search={place.search} />;
  if (new URLSearchParams(place.search).has('shortlist')) return <ShortlistView search={place.search} />;
  return <FinderView search={place.search} />;
}

// "Show more results" appends pages to the search it continues (web/finder/queries.ts).
const client = createDirectoryClient('/graphql', { relayPaginated: ['Query.services'] });
const main = document.getElementById('main');
if (main) {
  main.replaceChildren();
  render(
    <Provider value={client}>
      <App />
    </Provider>,
    main,
  );
}
const nav = document.getElementById('site-nav');
if (nav) render(<ShortlistNav />, nav);
