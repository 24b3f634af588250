// The first access plugin: every request but health checks, preflights and the GraphiQL page gets a viewer
// before its body is read (a credential, the default viewer, PUBLIC, or 401), and spends its rate limit
// (429 with Retry-After). Failed authentications are rate-limited per client address.
import type { Plugin } from 'graphql-yoga';
import { type Authenticator, CredentialError } from './authenticate.js';
import { clientAddress, jsonError, tooMany, wantsGraphiQL } from './http.js';
import type { Limits, RateLimiter } from './limits.js';
import type { Viewer } from './viewer.js';

/** The viewer of PUBLIC requests (no credentials, CYPE_PUBLIC_ACCESS=on). */
export const PUBLIC_VIEWER: Viewer = { role: 'PUBLIC', services: [], name: 'public', via: 'default' };

export interface GateOptions {
  authenticate: Authenticator;
  rateLimiter: RateLimiter;
  limits: Limits;
  defaultViewer?: Viewer;
  publicAccess: boolean;
  /** Where the gate leaves each request's viewer. */
  viewers: WeakMap<Request, Viewer>;
  /** … and the key its rate limit is counted under. */
  rateKeys: WeakMap<Request, string>;
}

/** The rate-limit key of a viewer: its API key, its JWT subject, or the client address. */
export function rateKey(viewer: Viewer, address: string): string {
  return viewer.keyId ? `key:${viewer.keyId}` : viewer.via === 'jwt' ? viewer.name : `address:${address}`;
}

export function useGate({
  authenticate,
  rateLimiter,
  limits,
  defaultViewer,
  publicAccess,
  viewers,
  rateKeys,
}: GateOptions): Plugin {
  /** The request's viewer, or the response refusing it. */
  const identify = async (request: Request, address: string): Promise<Viewer | Response> => {
    const authorization = request.headers.get('authorization');
    if (authorization) {
      try {
        return await authenticate(authorization);
      } catch (e) {
        if (!(e instanceof CredentialError)) {
          return jsonError(
            503,
            'UNAVAILABLE',
            'Credentials cannot be checked right now (the store did not answer); try again.',
          );
        }
        const limited = await rateLimiter.consume('auth-failures', address, limits.authFailuresPerWindow);
        if (limited) return tooMany(limited.retryAfterSeconds, `failed authentications from ${address}`);
        return jsonError(401, 'UNAUTHENTICATED', `Not authenticated: ${e.message}.`, {
          // A header value is ASCII without quotes; the body has the message as written.
          'www-authenticate': `Bearer error="invalid_token", error_description="${e.message.replace(/[^\x20-\x7e]|"/g, '')}"`,
        });
      }
    }
    if (defaultViewer) return { via: 'default', ...defaultViewer };
    if (publicAccess) return PUBLIC_VIEWER;
    return jsonError(
      401,
      'UNAUTHENTICATED',
      'Not authenticated: this server needs credentials (Authorization: Bearer <API key or JWT>; an analyst creates keys with `cype keys create`).',
      { 'www-authenticate': 'Bearer' },
    );
  };

  return {
    async onRequest({ request, url, endResponse, serverContext }) {
      // Health checks answer before this hook; everything else here (GraphQL, CSV export) needs a viewer.
      if (request.method === 'OPTIONS' || (url.pathname === '/graphql' && wantsGraphiQL(request, url))) return;
      const address = clientAddress(serverContext);
      const viewer = await identify(request, address);
      if (viewer instanceof Response) {
        endResponse(viewer);
        return;
      }
      const points = limits.ratePerWindow[viewer.role];
      const key = rateKey(viewer, address);
      const limited = await rateLimiter.consume('requests', key, points);
      if (limited) {
        endResponse(tooMany(limited.retryAfterSeconds, `${points} requests per ${limits.rateWindowSeconds} s`));
        return;
      }
      viewers.set(request, viewer);
      rateKeys.set(request, key);
    },
    onDispose: () => rateLimiter.close(),
  };
}
