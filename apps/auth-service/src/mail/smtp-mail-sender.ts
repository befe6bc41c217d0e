import nodemailer from 'nodemailer';
import type { MailMessage, MailSender } from './mail-sender';

/** The production mail port: SMTP through nodemailer, configured by one URL (`smtps://user:pass@host`). */
export function createSmtpMailSender({ url, from }: { url: string; from: string }): MailSender {
  const transport = nodemailer.createTransport(url);
  return {
    description: `smtp:${new URL(url).hostname}`,
    async send(message: MailMessage) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}
