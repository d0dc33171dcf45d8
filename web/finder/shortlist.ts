import { useEffect, useState } from 'preact/hooks';

/**
 * The shortlist: services a link worker (or anyone) keeps to hand over, as
 * their ids in this browser's localStorage. Shared as a link that carries the
 * ids (`/?shortlist=<id>,<id>`), which opens the same list anywhere: the
 * services are read again from the directory, in one `nodes(ids:)` request.
 */
const STORAGE_KEY = 'community-services-shortlist';
/** `nodes(ids:)` takes at most 100. */
export const SHORTLIST_MAX = 100;
/** Global ids are base64url; anything else in a link is not one of ours. */
const ID = /^[A-Za-z0-9_-]{1,64}={0,2}$/;

const listeners = new Set<(ids: string[]) => void>();
let saved: string[] = load();

function load(): string[] {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(value) ? cleanIds(value.filter((id): id is string => typeof id === 'string')) : [];
  } catch {
    // Storage switched off (some private windows) or a damaged entry: start empty.
    return [];
  }
}

function save(ids: string[]): void {
  saved = ids;
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(ids));
  } catch {
    // Without storage the shortlist lasts as long as the page; its link still carries it.
  }
  for (const listener of listeners) listener(saved);
}

// Another tab changed it.
window.addEventListener('storage', (event) => {
  if (event.key !== STORAGE_KEY) return;
  saved = load();
  for (const listener of listeners) listener(saved);
});

/** Valid ids, each once, at most SHORTLIST_MAX, in their order. */
export function cleanIds(ids: string[]): string[] {
  return [...new Set(ids.map((id) => id.trim()).filter((id) => ID.test(id)))].slice(0, SHORTLIST_MAX);
}

export function readShortlistParam(params: URLSearchParams): string[] {
  return cleanIds((params.get('shortlist') ?? '').split(','));
}

/** The link that opens this list of services anywhere (ids are base64url: no escaping needed). */
export function shortlistHref(ids: string[]): string {
  return `/?shortlist=${ids.join(',')}`;
}

export function savedShortlist(): string[] {
  return saved;
}

/** Adds a service; false when the shortlist is full. */
export function addToShortlist(id: string): boolean {
  if (saved.includes(id)) return true;
  if (saved.length >= SHORTLIST_MAX) return false;
  save([...saved, id]);
  return true;
}

export function addAllToShortlist(ids: string[]): void {
  save(cleanIds([...saved, ...ids]));
}

export function removeFromShortlist(id: string): void {
  save(saved.filter((other) => other !== id));
}

export function clearShortlist(): void {
  save([]);
}

/** The saved shortlist, kept up to date in every component that shows it. */
export function useShortlist(): string[] {
  const [ids, setIds] = useState(saved);
  useEffect(() => {
    listeners.add(setIds);
    setIds(saved);
    return () => {
      listeners.delete(setIds);
    };
  }, []);
  return ids;
}

/** What a change to the shortlist says, for the page's one polite live region (shortlist-nav.tsx). */
const announcers = new Set<(message: string) => void>();

export function announce(message: string): void {
  for (const announcer of announcers) announcer(message);
}

export function useAnnouncements(): string {
  const [message, setMessage] = useState('');
  useEffect(() => {
    announcers.add(setMessage);
    return () => {
      announcers.delete(setMessage);
    };
  }, []);
  return message;
}
