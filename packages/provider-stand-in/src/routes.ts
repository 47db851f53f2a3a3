import type { RecordedRequest, ScriptedResponse, ScriptedRoute } from './types';

/** The scripted routes, newest first, each with what is left of its `times`. */
export class RouteTable {
  private readonly routes: { route: ScriptedRoute; remaining: number }[] = [];

  add(route: ScriptedRoute): void {
    this.routes.unshift({ route, remaining: route.times ?? Infinity });
  }

  /** The response of the newest route that matches and still answers; undefined when none does. */
  answer(request: RecordedRequest): ScriptedResponse | undefined {
    for (const entry of this.routes) {
      if (entry.remaining <= 0 || !routeMatches(entry.route, request)) continue;
      entry.remaining -= 1;
      const respond = entry.route.respond;
      return typeof respond === 'function' ? respond(request) : respond;
    }
    return undefined;
  }
}

export function routeMatches(route: ScriptedRoute, request: RecordedRequest): boolean {
  if (route.method && route.method.toUpperCase() !== request.method.toUpperCase()) return false;
  if (route.path instanceof RegExp) {
    route.path.lastIndex = 0; // a /g or /y pattern must not remember the previous request
    return route.path.test(request.path);
  }
  if (route.path === request.path) return true;
  return !route.path.includes('?') && route.path === request.path.split('?')[0];
}
