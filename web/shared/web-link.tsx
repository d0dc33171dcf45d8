import type { JSX } from 'preact';

/** An absolute http: or https: address: the only kind a page links to from the directory's data. */
export function isWebAddress(address: string): boolean {
  try {
    const { protocol } = new URL(address);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * A web address from the directory, shown as a link only when it is http(s). The API checks what
 * partners type and what feeds bring, but a link is where a `javascript:` address would run, so the
 * page does not rely on it: anything else is shown as text.
 */
export function WebLink({ address }: { address: string }): JSX.Element {
  return isWebAddress(address) ? <a href={address}>{address}</a> : <span>{address}</span>;
}
