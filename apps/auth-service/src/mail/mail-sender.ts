/** One message of the mail port: plain text, one recipient. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * The mail port: how the service sends a message (password reset links). Development writes each
 * message to a local outbox folder (outbox-mail-sender.ts); production sends through SMTP
 * (smtp-mail-sender.ts). A sender never logs the message body: it may hold a link.
 */
export interface MailSender {
  /** Where messages go, for the start-up log line (`outbox:/path` or `smtp:host`), never a secret. */
  readonly description: string;
  send(message: MailMessage): Promise<void>;
}
