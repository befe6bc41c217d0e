import { createPageGuard } from '@bff-auth/bff-next/server';
import { getBff } from './lib/bff';

export const proxy = createPageGuard({ getBff, protectedPaths: ['/profile'] });

export const config = { matcher: ['/profile/:path*'] };
