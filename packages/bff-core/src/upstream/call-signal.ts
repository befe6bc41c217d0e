import { EventEmitter } from 'node:events';

/** Why a call was cut short. */
export type CallAbortReason = 'deadline' | 'client';

/**
 * The abort signal of one proxied call: the deadline and the browser going away, in one object.
 * undici accepts any EventEmitter with `aborted` as a request's `signal`; this one costs a plain
 * object, where an `AbortController` on Node 20 also makes a transferable platform object, and
 * `AbortSignal.any`/`AbortSignal.timeout` keep the request's async context alive until their timer
 * fires (issue #11). Nothing here outlives the call: its timer is cleared and its listener on the
 * client's signal removed by `dispose()`.
 */
export class CallSignal extends EventEmitter {
  aborted = false;
  /** Why it was aborted; undefined while it is not. */
  why: CallAbortReason | undefined;
  /** The error undici fails the request with (it reads `signal.reason`). */
  reason: Error | undefined;
  #timer: ReturnType<typeof setTimeout>;
  #client: AbortSignal | undefined;
  #onClientAbort = () => this.abort('client');

  constructor(deadlineMs: number, client?: AbortSignal) {
    super();
    this.#timer = setTimeout(() => this.abort('deadline'), deadlineMs);
    if (client?.aborted) this.abort('client');
    else if (client) {
      this.#client = client;
      client.addEventListener('abort', this.#onClientAbort, { once: true });
    }
  }

  abort(reason: CallAbortReason): void {
    if (this.aborted) return;
    this.aborted = true;
    this.why = reason;
    this.reason = new Error(
      reason === 'deadline' ? 'upstream deadline exceeded' : 'client closed the request',
    );
    this.reason.name = 'AbortError';
    this.emit('abort');
  }

  /** Ends the call's hold on timers and on the client's signal. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#client?.removeEventListener('abort', this.#onClientAbort);
    this.#client = undefined;
  }
}
