//! The current screen inside the shell, mirrored in location.hash so Back/Forward and reloads work.
import { parseRoute, routeHash, type Route } from "./nav";

const LAST_ROUTE_KEY = "talento.lastRoute";

let current = $state<Route>(parseRoute(location.hash));

function remember(hash: string): void {
  try {
    localStorage.setItem(LAST_ROUTE_KEY, hash);
  } catch {
    // not remembered
  }
}

window.addEventListener("hashchange", () => {
  current = parseRoute(location.hash);
  remember(routeHash(current));
});

export const router = {
  get route(): Route {
    return current;
  },
};

export function navigate(route: Route, replace = false): void {
  const hash = routeHash(route);
  current = route;
  remember(hash);
  if (location.hash === hash) return;
  if (replace) history.replaceState(null, "", hash);
  else history.pushState(null, "", hash);
}

/** The route in the address (after a reload) or, failing that, the last screen used. */
export function rememberedRoute(): Route {
  if (location.hash.length > 2) return parseRoute(location.hash);
  try {
    return parseRoute(localStorage.getItem(LAST_ROUTE_KEY) ?? "");
  } catch {
    return { section: "home" };
  }
}
