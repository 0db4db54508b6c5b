import { createId, type Tx } from "@wharf/db";

export const identityRepository = {
  findUserByEmail(tx: Tx, email: string) {
    return tx.user.findUnique({ where: { email } });
  },

  /** The only query that reads a password hash, and only for sign-in. */
  findCredentialsByEmail(tx: Tx, email: string) {
    return tx.user.findUnique({
      where: { email },
      select: { id: true, email: true, name: true, platformRole: true, passwordHash: true },
    });
  },

  createUser(tx: Tx, data: { email: string; name: string | null; passwordHash?: string; operator: boolean; emailVerified?: Date | null }) {
    return tx.user.create({
      data: {
        id: createId("usr"),
        email: data.email,
        name: data.name,
        passwordHash: data.passwordHash,
        platformRole: data.operator ? "OPERATOR" : "NONE",
        emailVerified: data.emailVerified ?? null,
      },
    });
  },

  countFailures(tx: Tx, where: { email?: string; ip?: string }, since: Date) {
    return tx.signInFailure.aggregate({
      where: { ...where, createdAt: { gte: since } },
      _count: { _all: true },
      _min: { createdAt: true },
    });
  },

  recordFailure(tx: Tx, email: string, ip: string) {
    return tx.signInFailure.create({ data: { id: createId("sif"), email, ip } });
  },

  pruneFailures(tx: Tx, before: Date) {
    return tx.signInFailure.deleteMany({ where: { createdAt: { lt: before } } });
  },

  findUserByAccount(tx: Tx, provider: string, providerAccountId: string) {
    return tx.account.findUnique({ where: { provider_providerAccountId: { provider, providerAccountId } }, select: { user: true } });
  },

  linkAccount(tx: Tx, userId: string, account: { type: string; provider: string; providerAccountId: string }) {
    return tx.account.create({ data: { id: createId("acc"), userId, ...account } });
  },
};
