import { useEffect, useMemo, useState } from 'preact/hooks';
import { Provider, useQuery } from '@urql/preact';
import type { Client } from '@urql/core';
import { Link, navigate, useLocation } from '../shared/router';
import { VIEWER_QUERY, type ViewerResult } from './queries';
import { createPartnerClient, forgetKey, storedKey, storeKey } from './session';
import { SessionContext, type Session } from './session-context';
import { ServiceList } from './service-list';
import { ServicePage } from './service-page';
import { SignIn } from './sign-in';

const SERVICE_PATH = /^\/partners\/services\/([^/]+)\/?$/;
const LIST_PATH = /^\/partners\/?$/;

/**
 * The partner page: signed out, the sign-in form; signed in, the partner's services (`/partners`) and
 * one service (`/partners/services/<id>`), routed in the browser. A session is a key and a client made
 * for it; signing out forgets both, so the next partner at this browser starts from an empty cache.
 */
export function PartnerApp() {
  const [session, setSession] = useState<{ client: Client; viewer?: Session['viewer'] } | null>(() => {
    const key = storedKey();
    return key ? { client: createPartnerClient(key) } : null;
  });
  const [notice, setNotice] = useState<string | null>(null);

  /** With a `reason` (the key was refused) the address is kept, to come back to after signing in again; signing out starts from the list. */
  const signOut = (reason?: string) => {
    forgetKey();
    setSession(null);
    setNotice(reason ?? 'You are signed out. The key is no longer kept in this tab.');
    if (!reason) navigate('/partners', { replace: true });
  };

  if (!session) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={({ key, client, viewer }) => {
          storeKey(key);
          setNotice(null);
          setSession({ client, viewer: viewer as Session['viewer'] });
        }}
      />
    );
  }
  return (
    <Provider value={session.client}>
      <SignedIn known={session.viewer} signOut={signOut} />
    </Provider>
  );
}

/** The viewer is known from signing in; after a reload (the key from sessionStorage) it is asked again, which also checks the key still works. */
function SignedIn({ known, signOut }: { known?: Session['viewer']; signOut: Session['signOut'] }) {
  const [result] = useQuery<ViewerResult>({ query: VIEWER_QUERY, pause: known !== undefined });
  const viewer = known ?? (result.data?.viewer?.account?.provider ? (result.data.viewer as Session['viewer']) : undefined);
  const refused = result.error?.graphQLErrors[0]?.extensions?.code === 'UNAUTHENTICATED';
  const notPartner = result.data?.viewer && !result.data.viewer.account?.provider;

  useEffect(() => {
    if (refused) signOut('Your key is no longer accepted (it may have been revoked): sign in again.');
    else if (notPartner) signOut('That key is not a partner charity\'s key. This page is for partners; admins work in the GraphQL playground at /graphql.');
  }, [refused, notPartner]);

  const session = useMemo(() => (viewer ? { viewer, signOut } : null), [viewer]);
  if (!session) {
    return result.error && !refused ? (
      <p class="error" role="alert">
        The directory could not be reached. Check your connection and reload the page.
      </p>
    ) : (
      <p role="status">Loading…</p>
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <div class="session-bar">
        <p>
          Signed in as <strong>{session.viewer.account.name}</strong> for {session.viewer.account.provider.name}
        </p>
        <button type="button" class="button-secondary" onClick={() => signOut()}>
          Sign out
        </button>
      </div>
      <Routes />
    </SessionContext.Provider>
  );
}

function Routes() {
  const place = useLocation();
  const service = SERVICE_PATH.exec(place.pathname);
  if (service) return <ServicePage key={service[1]} id={decodeURIComponent(service[1])} />;
  if (LIST_PATH.test(place.pathname)) return <ServiceList search={place.search} />;
  return (
    <>
      <h1>Page not found</h1>
      <p>
        <Link href="/partners">Your services</Link>
      </p>
    </>
  );
}
