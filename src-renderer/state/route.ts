// Hash routes (#/results, #/compare/42) work the same from file:// in Electron and over HTTP.
import { useEffect, useState } from 'react';
import { parseRoute, routeHash, type Route, type Screen } from './route-parse';

export type { Route, Screen } from './route-parse';
export { parseRoute, routeHash } from './route-parse';

export function navigate(screen: Screen, imageId: number | null = null): void {
  location.hash = routeHash({ screen, imageId });
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
