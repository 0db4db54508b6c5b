import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, expect, it } from "vitest";

// With SMTP_URL set, an invitation is mailed and its link is not returned to
// the inviter. A real SMTP server on loopback receives the message.
const received: string[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  onData(stream, _session, done) {
    let text = "";
    stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
    stream.on("end", () => {
      received.push(text);
      done();
    });
  },
});

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => smtp.close(resolve)));

it("mails the invitation link when a mail server is configured", async () => {
  // Imported after SMTP_URL is set: configuration is read once, at start-up.
  const { createOrganization } = await import("./create-organization");
  const { inviteMember } = await import("./invite-member");
  const { createId, withPlatform } = await import("@wharf/db");
  const userId = createId("usr");
  const email = `mailer-${Date.now()}@example.test`;
  await withPlatform("test", (tx) => tx.user.create({ data: { id: userId, email } }));
  const actor = { userId, email, isOperator: false, ip: null, userAgent: null };
  const org = await createOrganization(actor, { name: "Mail Test", slug: `mail-${Date.now().toString(36)}` });

  const result = await inviteMember({ orgId: org.id, role: "OWNER", actor }, { orgId: org.id, email: "newcomer@example.test", role: "VIEWER" });
  expect(result).toMatchObject({ emailed: true, link: null });
  expect(received).toHaveLength(1);
  expect(received[0]).toContain("To: newcomer@example.test");
  expect(received[0]).toMatch(/\/invite\/[0-9A-Za-z]{20,}/);
});
