import { bffNextConfig } from '@bff-auth/bff-next/next-config';

export default bffNextConfig();
