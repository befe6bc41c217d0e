export type { BffObserver, ForcedSignOutReason, RefreshOutcome } from './bff-observer';
export { annotateSpan, inSpan } from './in-span';
