import type { MailSender } from './mail-sender';
import { createOutboxMailSender } from './outbox-mail-sender';
import { createSmtpMailSender } from './smtp-mail-sender';

export interface MailConfig {
  /** SMTP URL (production); without it messages go to the outbox folder. */
  smtpUrl?: string | undefined;
  from: string;
  outboxDir: string;
}

/** The mail port of the configuration: SMTP when `smtpUrl` is set, else the local outbox. */
export const createMailSender = ({ smtpUrl, from, outboxDir }: MailConfig): MailSender =>
  smtpUrl ? createSmtpMailSender({ url: smtpUrl, from }) : createOutboxMailSender({ dir: outboxDir, from });
