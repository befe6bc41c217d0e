import type { Logger } from 'pino';
import type { UserStore } from './user-store';

export const DEMO_ACCOUNTS = [
  { email: 'user@example.com', name: 'Demo User', roles: ['user'], passwordKey: 'userPassword' },
  { email: 'admin@example.com', name: 'Demo Admin', roles: ['user', 'admin'], passwordKey: 'adminPassword' },
] as const;

/** Creates the demo accounts that do not exist yet; an existing account is left as it is. */
export async function seedDemoUsers(
  users: UserStore,
  passwords: { userPassword: string; adminPassword: string },
  logger: Logger,
) {
  for (const account of DEMO_ACCOUNTS) {
    if (await users.findCredentials(account.email)) continue;
    await users.create({
      email: account.email,
      name: account.name,
      roles: [...account.roles],
      password: passwords[account.passwordKey],
    });
    logger.info({ email: account.email }, 'demo account created');
  }
}
