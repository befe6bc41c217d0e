import { createPageGuard } from '@bff-auth/bff-next/server';
import { getBff } from './lib/bff';

/** /profile and /security need a session; every page, RSC and prefetch request gets its refresh and CSP nonce here. */
export const proxy = createPageGuard({ getBff, protectedPaths: ['/profile', '/security'] });

// Everything but the build's static files: a render anywhere may need the session refreshed (SPEC §4.3).
export const config = { matcher: ['/((?!_next/static|_next/image|favicon\\.ico|icon\\.svg).*)'] };
