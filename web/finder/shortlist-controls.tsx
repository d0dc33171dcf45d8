import { Link } from '../shared/router';
import { addToShortlist, announce, removeFromShortlist, savedShortlist, SHORTLIST_MAX, shortlistHref, useAnnouncements, useShortlist } from './shortlist';

const count = (n: number) => `${n} ${n === 1 ? 'service' : 'services'}`;

/**
 * In the site header: the way to the shortlist once it has something on it (so the first screen
 * stays as it was for someone who never uses one), and the page's live region for what the
 * shortlist buttons did.
 */
export function ShortlistNav() {
  const ids = useShortlist();
  const message = useAnnouncements();
  return (
    <>
      {ids.length > 0 && (
        <nav class="shortlist-nav" aria-label="Shortlist">
          <Link class="shortlist-link" href={shortlistHref(ids)}>
            Your shortlist ({ids.length})
          </Link>
        </nav>
      )}
      <p class="visually-hidden" role="status" aria-live="polite">
        {message}
      </p>
    </>
  );
}

/** Adds a service to the shortlist or takes it off; the button's name says which, and for which service. */
export function ShortlistToggle({ id, name }: { id: string; name: string }) {
  const on = useShortlist().includes(id);
  // The visible words start the name, so speech input ("click Add to shortlist") finds it.
  const label = on ? 'Remove from shortlist' : 'Add to shortlist';
  const toggle = () => {
    if (on) {
      removeFromShortlist(id);
      announce(`${name} taken off your shortlist. ${count(savedShortlist().length)} on it.`);
    } else if (addToShortlist(id)) {
      announce(`${name} added to your shortlist. ${count(savedShortlist().length)} on it.`);
    } else {
      announce(`Your shortlist is full (${SHORTLIST_MAX} services): take one off first.`);
    }
  };
  return (
    <button type="button" class={on ? 'button-secondary shortlist-toggle on' : 'button-secondary shortlist-toggle'} aria-label={`${label}: ${name}`} onClick={toggle}>
      {label}
    </button>
  );
}

/** Prints the page as it is (the print stylesheet leaves out the map, the form and the buttons). */
export function PrintButton({ label = 'Print' }: { label?: string }) {
  return (
    <button type="button" class="button-secondary print-button" onClick={() => window.print()}>
      {label}
    </button>
  );
}
