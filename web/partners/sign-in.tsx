import type { Client } from '@urql/core';
import { useEffect, useRef, useState } from 'preact/hooks';
import { createPartnerClient } from './session';
import { VIEWER_QUERY, type ViewerResult } from './queries';

export interface SignedIn {
  key: string;
  client: Client;
  viewer: NonNullable<ViewerResult['viewer']>;
}

/**
 * Signing in is asking `viewer` with the key, on a client made for that key: an accepted key keeps its
 * client; a refused one (UNAUTHENTICATED: wrong, revoked, or of a disabled account) is said at the field.
 */
export function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn: (session: SignedIn) => void }) {
  const [key, setKey] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = 'Sign in - Update your listings';
    // After signing out the button is gone: the focus starts again from the heading.
    heading.current?.focus();
  }, []);

  const refuse = (text: string) => {
    setProblem(text);
    input.current?.focus();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const typed = key.trim();
    if (!typed) return refuse('Enter your API key.');
    setBusy(true);
    const client = createPartnerClient(typed);
    const answer = await client.query<ViewerResult>(VIEWER_QUERY, {}).toPromise();
    setBusy(false);
    const code = answer.error?.graphQLErrors[0]?.extensions?.code;
    if (code === 'UNAUTHENTICATED') {
      return refuse('That key was not accepted. It may be mistyped or cut short, or it has been revoked. Paste the whole key (it starts spd_), or ask the directory team for a new one.');
    }
    if (code === 'RATE_LIMITED') return refuse('Too many sign-ins failed from this connection. Wait a few minutes, then try again.');
    const viewer = answer.data?.viewer;
    if (!viewer?.account) return refuse('The directory could not be reached, so you are not signed in. Check your connection and try again.');
    if (viewer.role !== 'PARTNER' || !viewer.account.provider) {
      return refuse(`This key belongs to ${viewer.account.name}, a directory team (admin) account. This page is for partner charities' keys; admins work in the GraphQL playground at /graphql.`);
    }
    onSignedIn({ key: typed, client, viewer });
  };

  return (
    <div class="sign-in">
      <h1 ref={heading} tabIndex={-1}>
        Update your listings
      </h1>
      <p class="lede">For charities and groups listed in the community services directory: sign in to change your services, say whether they are taking referrals, and answer reports that something is wrong.</p>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit} noValidate class="sign-in-form">
        <div class="field">
          <label for="api-key">Your API key</label>
          <p class="hint" id="api-key-hint">
            The key the directory team gave your organisation, starting spd_. It is kept in this browser tab only, until you sign out or close the tab.
          </p>
          {problem && (
            <p class="field-error" id="api-key-error" role="alert">
              <span class="visually-hidden">Error: </span>
              {problem}
            </p>
          )}
          <input
            ref={input}
            id="api-key"
            type="password"
            autocomplete="off"
            spellcheck={false}
            value={key}
            aria-invalid={problem ? 'true' : undefined}
            aria-describedby={problem ? 'api-key-hint api-key-error' : 'api-key-hint'}
            onInput={(event) => {
              setKey(event.currentTarget.value);
            }}
          />
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p class="hint">No key yet? Ask the directory team to create a partner account for your organisation.</p>
    </div>
  );
}
