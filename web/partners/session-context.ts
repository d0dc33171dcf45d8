import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Viewer } from './queries';

/** Who is signed in (the partner account and its provider), and how to sign them out, with a reason to show at sign-in. */
export interface Session {
  viewer: Viewer & { account: NonNullable<Viewer['account']> & { provider: { id: string; name: string } } };
  signOut: (reason?: string) => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() outside a signed-in page');
  return session;
}
