import { data } from 'react-router';

export const meta = () => [{ title: 'Page not found — Tackle Shop' }];

/** Any path the store does not have: a real 404 status, in the site's frame. */
export function loader() {
  throw data({ code: 'NOT_FOUND', message: 'No such page' }, { status: 404 });
}

export const clientLoader = loader;

export default function NotFound() {
  return null;
}
