/** @jsxImportSource react */
// GraphiQL is a React component: this file's JSX is React's (the finder's is Preact's, vite.config.mts).
// Monaco's workers (the editor's, GraphQL's and JSON's), bundled by Vite as files of their own: nothing comes from a CDN.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';
import './playground.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { explorerPlugin } from '@graphiql/plugin-explorer';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { Kind, parse } from 'graphql';
import examples from 'virtual:readme-examples';

// This server's own endpoint: requests (with the headers typed under Headers, e.g. an API key) go nowhere else.
const toServer = createGraphiQLFetcher({ url: new URL('/graphql', window.location.href).href });

/** The named operations of a document; none when it does not parse (the server then says why). */
function operationNames(query: string): string[] {
  try {
    return parse(query).definitions.flatMap((definition) => (definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [definition.name.value] : []));
  } catch {
    return [];
  }
}

/**
 * GraphiQL can send the operation name of the tab open just before (a tab chosen and run at once): the
 * server then answers "Unknown operation named ...". A name the document does not hold is left out, so a
 * document of one operation runs as shown.
 */
const fetcher: Fetcher = (params, options) =>
  toServer(params.operationName && !operationNames(params.query).includes(params.operationName) ? { ...params, operationName: null } : params, options);
const plugins = [explorerPlugin()];
// One tab per ```graphql block of the README, read at build time (web/readme-examples.mts); the first is open.
const defaultTabs = examples.map((example) => ({ query: example.query, variables: example.variables }));

const root = document.getElementById('playground');
if (root) {
  root.replaceChildren();
  createRoot(root).render(
    <StrictMode>
      <GraphiQL fetcher={fetcher} plugins={plugins} defaultTabs={defaultTabs} defaultEditorToolsVisibility="variables" />
    </StrictMode>,
  );
}
