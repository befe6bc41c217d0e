// The fast lane (SPEC §10, BFF_FAST_LANE=1 in npm start): one Node server on PORT, the declared API
// routes of src/lib/bff-app.ts answered by bff-core directly, pages and everything else by this app's
// Next build. Run after `next build`: `node --import tsx server.ts` (or `npm run start:fast-lane`).
import { startFastLane } from '@bff-auth/bff-next/fast-lane';
import { userWebBff } from './src/lib/bff-app';

await startFastLane({ app: userWebBff, dir: import.meta.dirname, defaultPort: 3002 });
