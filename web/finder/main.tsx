import 'leaflet/dist/leaflet.css';
import '../shared/base.css';
import './finder.css';
import { render } from 'preact';
import { Provider } from '@urql/preact';
import { createDirectoryClient } from '../shared/graphql-client';
import { useLocation } from '../shared/router';
import { FinderView } from './finder-view';
import { ServicePage } from './service-page';

const SERVICE_PATH = /^\/services\/([^/]+)\/?$/;

function App() {
  const place = useLocation();
  const service = SERVICE_PATH.exec(place.pathname);
  return service ? <ServicePage id={decodeURIComponent(service[1])} search={place.search} /> : <FinderView search={place.search} />;
}

const client = createDirectoryClient();
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
