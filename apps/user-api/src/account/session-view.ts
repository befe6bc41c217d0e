import Bowser from 'bowser';
import type { ProviderSession } from './account-client';

/** What the Security page shows of one session: never the provider's internal `sid`s. */
export interface SessionView {
  /** The session's id for `DELETE /api/v1/me/sessions/:id` (the provider session's uid, not its cookie). */
  id: string;
  /** The apps signed in through this session, by name. */
  apps: string[];
  /** e.g. "Chrome 131", "Safari 18.1"; "Unknown browser" when the User-Agent says nothing usable. */
  browser: string;
  /** e.g. "Linux", "iOS 18.1". */
  os: string;
  /** "desktop", "mobile", "tablet", "tv" or "unknown". */
  device: string;
  startedAt: string;
  lastSeenAt: string;
  /** The session of the token that asked. */
  current: boolean;
}

/** Our clients' names; another client shows under its id. */
const APP_NAMES: Record<string, string> = { 'user-web': 'User app', 'admin-web': 'Admin app' };

const named = (name: string | undefined, version: string | undefined) =>
  name ? [name, version?.split('.').slice(0, 2).join('.')].filter(Boolean).join(' ') : undefined;

/** The User-Agent parsed with bowser (a maintained parser) into what a person recognises. */
export function describeUserAgent(userAgent: string): Pick<SessionView, 'browser' | 'os' | 'device'> {
  if (!userAgent) return { browser: 'Unknown browser', os: 'Unknown system', device: 'unknown' };
  const parsed = Bowser.parse(userAgent);
  return {
    browser: named(parsed.browser.name, parsed.browser.version) ?? 'Unknown browser',
    os: named(parsed.os.name, parsed.os.version) ?? 'Unknown system',
    device: parsed.platform.type ?? 'unknown',
  };
}

/** The provider's session as the user sees it; `currentSid` is the `sid` claim of their token. */
export function toSessionView(session: ProviderSession, currentSid: string | undefined): SessionView {
  return {
    id: session.sid,
    apps: session.clients.map((client) => APP_NAMES[client] ?? client),
    ...describeUserAgent(session.userAgent),
    startedAt: session.createdAt,
    lastSeenAt: session.lastSeenAt,
    current: currentSid !== undefined && Object.values(session.clientSids).includes(currentSid),
  };
}
