import type { Client } from '@urql/core';
import { createDirectoryClient } from '../shared/graphql-client';

/**
 * A partner's API key lives in this tab's sessionStorage only: never in the
 * address (it would reach the history, bookmarks and Referer headers), never
 * in localStorage (it would outlive the tab, and be shared with every other
 * tab). Closing the tab or signing out forgets it.
 */
const KEY_ITEM = 'spd.partner-key';

export function storedKey(): string | null {
  try {
    return window.sessionStorage.getItem(KEY_ITEM);
  } catch {
    // Storage refused (a privacy setting): the partner signs in again on each load.
    return null;
  }
}

export function storeKey(key: string): void {
  try {
    window.sessionStorage.setItem(KEY_ITEM, key);
  } catch {
    // As above: the key then lasts as long as this page.
  }
}

export function forgetKey(): void {
  try {
    window.sessionStorage.removeItem(KEY_ITEM);
  } catch {
    // Nothing was stored.
  }
}

/**
 * A client of one partner's own: the key on every request, every request a POST (no key in a URL, no
 * GET answer for a cache to keep), and a cache of its own, dropped with the client when they sign out,
 * so nothing one partner read is ever shown to the next.
 */
export function createPartnerClient(key: string): Client {
  return createDirectoryClient('/graphql', { headers: { authorization: `Bearer ${key}` }, method: 'POST' });
}
