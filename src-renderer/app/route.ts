// Hash routes (#/results, #/compare/42) work the same from file:// in Electron and over HTTP.
import { useEffect, useState } from 'react';

export type Screen = 'library' | 'train' | 'results' | 'compare' | 'threshold' | 'metrics' | 'review' | 'export';
export interface Route {
  screen: Screen;
  imageId: number | null;
}

const SCREENS: Screen[] = ['library', 'train', 'results', 'compare', 'threshold', 'metrics', 'review', 'export'];

export function parseRoute(hash: string): Route {
  const [name, arg] = hash.replace(/^#\/?/, '').split('/');
  const screen = (SCREENS as string[]).includes(name) ? (name as Screen) : 'library';
  const n = Number(arg);
  return { screen, imageId: Number.isInteger(n) && n > 0 ? n : null };
}

export function routeHash(route: Route): string {
  return `#/${route.screen}${route.imageId ? `/${route.imageId}` : ''}`;
}

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
