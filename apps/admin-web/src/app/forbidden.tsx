import { ForbiddenNotice } from '@/components/forbidden-notice';

/** Rendered with status 403 wherever a page calls forbidden() (next.config: experimental.authInterrupts). */
export default function Forbidden() {
  return <ForbiddenNotice />;
}
