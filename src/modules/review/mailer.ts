import { createTransport } from 'nodemailer';

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  /** Plain text only. */
  text: string;
}

/** Sends one email; rejects if the SMTP server does not take it. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * An SMTP mailer through nodemailer (the kept library for this: STARTTLS,
 * authentication, pooling and the RFC 5322 encoding of names and subjects
 * are its job, not ours), from SMTP_URL, e.g. smtp://user:pass@host:587.
 */
export function smtpMailer(smtpUrl: string): Mailer {
  const transport = createTransport(smtpUrl);
  return {
    async send(message) {
      await transport.sendMail(message);
    },
    close() {
      transport.close();
    },
  };
}
