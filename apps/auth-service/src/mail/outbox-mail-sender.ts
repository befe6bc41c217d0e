import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MailMessage, MailSender } from './mail-sender';

/** One message as the outbox stores it (a `.json` file per message). */
export interface OutboxMessage extends MailMessage {
  from: string;
  sentAt: string;
}

/**
 * The development mail port: each message becomes one JSON file in `dir` (written under a temporary
 * name, then renamed, so a reader never sees half a message). Nothing is sent anywhere.
 */
export function createOutboxMailSender({ dir, from }: { dir: string; from: string }): MailSender {
  // Messages of the same millisecond still sort in the order they were sent.
  let sequence = 0;
  return {
    description: `outbox:${dir}`,
    async send(message: MailMessage) {
      await mkdir(dir, { recursive: true });
      const sentAt = new Date().toISOString();
      sequence += 1;
      const name = `${sentAt.replace(/[:.]/g, '-')}-${String(sequence).padStart(8, '0')}-${randomUUID()}.json`;
      const body: OutboxMessage = { from, ...message, sentAt };
      await writeFile(join(dir, `.${name}.tmp`), `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
      await rename(join(dir, `.${name}.tmp`), join(dir, name));
    },
  };
}

/** The messages of an outbox, oldest first (tests, and whoever reads the outbox by hand). */
export async function readOutbox(dir: string): Promise<OutboxMessage[]> {
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
    .sort();
  return Promise.all(
    names.map(async (name) => JSON.parse(await readFile(join(dir, name), 'utf8')) as OutboxMessage),
  );
}
