// Hash routes (#/results, #/compare/42), parsed without touching the DOM so Node tests can use them.
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

