import { bffNextConfig } from '@bff-auth/bff-next/next-config';

// forbidden() renders app/forbidden.tsx with status 403 for a signed-in user without the admin role.
export default bffNextConfig({ experimental: { authInterrupts: true } });
