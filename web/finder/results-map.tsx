import { useEffect, useRef, useState } from 'preact/hooks';
import type * as Leaflet from 'leaflet';
import { navigate } from '../shared/router';
import type { HubRef } from './queries';

export interface MapMarker {
  hub: HubRef;
  /** Matching services at this hub (from the same search). */
  serviceCount: number;
  /** Those of them in the list shown now. */
  services: Array<{ id: string; name: string }>;
}

/** Tiles come from MAP_TILE_URL (through the page's meta tags); without one the map draws markers on a plain ground. */
function tileSettings(): { url: string; attribution: string } | null {
  const url = document.querySelector<HTMLMetaElement>('meta[name="map-tile-url"]')?.content.trim();
  if (!url) return null;
  const attribution = document.querySelector<HTMLMetaElement>('meta[name="map-tile-attribution"]')?.content.trim();
  return { url, attribution: attribution || '© OpenStreetMap contributors' };
}

/** A popup built from DOM nodes with textContent: directory text never becomes HTML. */
function popupContent(marker: MapMarker, serviceHref: (id: string) => string): HTMLElement {
  const box = document.createElement('div');
  const title = document.createElement('p');
  title.className = 'popup-title';
  title.textContent = marker.hub.name;
  box.append(title);
  const count = document.createElement('p');
  count.textContent = `${marker.serviceCount} matching ${marker.serviceCount === 1 ? 'service' : 'services'} here`;
  box.append(count);
  if (marker.services.length) {
    const list = document.createElement('ul');
    for (const service of marker.services) {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = serviceHref(service.id);
      link.textContent = service.name;
      link.addEventListener('click', (event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(link.getAttribute('href') ?? '/');
        window.scrollTo(0, 0);
      });
      item.append(link);
      list.append(item);
    }
    box.append(list);
  }
  return box;
}

/**
 * The search's hubs on a Leaflet map, in step with the list: the same search
 * answer draws both, focusing a result highlights its hub, and choosing a
 * marker highlights its services in the list. Leaflet is loaded on first use,
 * so the list never waits for it.
 */
export function ResultsMap({ markers, highlightedHub, onSelectHub, serviceHref }: { markers: MapMarker[]; highlightedHub: string | null; onSelectHub: (hub: string | null) => void; serviceHref: (id: string) => string }) {
  const container = useRef<HTMLDivElement>(null);
  const [leaflet, setLeaflet] = useState<typeof Leaflet | null>(null);
  const map = useRef<Leaflet.Map | null>(null);
  const layer = useRef<Leaflet.FeatureGroup | null>(null);
  const byHub = useRef(new Map<string, Leaflet.Marker>());
  const tiles = tileSettings();

  useEffect(() => {
    let cancelled = false;
    import('leaflet').then((module) => {
      if (!cancelled) setLeaflet((module as unknown as { default?: typeof Leaflet }).default ?? module);
    });
    return () => {
      cancelled = true;
      map.current?.remove();
      map.current = null;
    };
  }, []);

  useEffect(() => {
    if (!leaflet || !container.current || map.current) return;
    const created = leaflet.map(container.current, { zoomSnap: 0.5, attributionControl: true });
    created.attributionControl.setPrefix(false);
    if (tiles) leaflet.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 }).addTo(created);
    layer.current = leaflet.featureGroup().addTo(created);
    map.current = created;
  }, [leaflet]);

  useEffect(() => {
    const L = leaflet;
    if (!L || !map.current || !layer.current) return;
    layer.current.clearLayers();
    byHub.current.clear();
    for (const marker of markers) {
      const label = document.createElement('span');
      label.textContent = String(marker.serviceCount);
      const pin = L.marker([marker.hub.latitude, marker.hub.longitude], {
        icon: L.divIcon({ className: 'hub-marker', html: label, iconSize: [28, 28] }),
        title: `${marker.hub.name}: ${marker.serviceCount} matching ${marker.serviceCount === 1 ? 'service' : 'services'}`,
        keyboard: true,
      });
      pin.bindPopup(popupContent(marker, serviceHref));
      pin.on('click', () => onSelectHub(marker.hub.id));
      pin.on('keypress', (event: Leaflet.LeafletKeyboardEvent) => {
        if (event.originalEvent.key === 'Enter' || event.originalEvent.key === ' ') {
          onSelectHub(marker.hub.id);
          pin.openPopup();
        }
      });
      pin.addTo(layer.current);
      pin.getElement()?.setAttribute('data-hub-id', marker.hub.id);
      byHub.current.set(marker.hub.id, pin);
    }
    // The panel may have changed size since the map was made (facets, a phone's layout).
    map.current.invalidateSize();
    if (markers.length) map.current.fitBounds(layer.current.getBounds(), { padding: [24, 24], maxZoom: 14 });
    else map.current.setView([53.8, -1.55], 6);
  }, [leaflet, markers]);

  useEffect(() => {
    for (const [hub, pin] of byHub.current) pin.getElement()?.classList.toggle('highlighted', hub === highlightedHub);
  }, [highlightedHub, markers, leaflet]);

  return (
    <>
      <div ref={container} class="map" aria-label={`Map of ${markers.length} ${markers.length === 1 ? 'place' : 'places'} with matching services`} role="region" />
      {!tiles && <p class="map-note">Street map not shown: each circle is a place where matching services meet, with how many.</p>}
    </>
  );
}
