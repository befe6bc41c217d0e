import 'server-only';
import { defineAppBff } from '@bff-auth/bff-next/server';
import { adminWebBff } from './bff-app';

/** The app's one BFF (bff-app.ts declares it; the fast lane, server.ts, serves the same declaration). */
export const getBff = defineAppBff(adminWebBff);
