import type { ComponentChildren, JSX, TargetedMouseEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** Client-side navigation over the History API: the address is the page's state, so every view can be shared. */
export interface Place {
  pathname: string;
  search: string;
}

const current = (): Place => ({ pathname: window.location.pathname, search: window.location.search });
const listeners = new Set<() => void>();

export function navigate(href: string, { replace = false } = {}): void {
  if (replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  for (const listener of listeners) listener();
}

export function useLocation(): Place {
  const [place, setPlace] = useState(current);
  useEffect(() => {
    const update = () => setPlace(current());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return place;
}

/** A same-origin link that navigates without reloading; modified clicks (new tab) behave as usual. */
export function Link(props: { href: string; class?: string; children: ComponentChildren; onClick?: (event: TargetedMouseEvent<HTMLAnchorElement>) => void }): JSX.Element {
  const { href, children, onClick: before, ...rest } = props;
  const onClick = (event: TargetedMouseEvent<HTMLAnchorElement>) => {
    before?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
    window.scrollTo(0, 0);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
