"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { MemberRole } from "@wharf/contracts";
import { Alert, Badge, Button, Card, Cell, DataTable, EmptyState, SelectField, TextField } from "@wharf/ui";
import { useCurrentOrg } from "~/components/current-org";
import { describeError } from "~/trpc/errors";
import { useTRPC } from "~/trpc/react";

const ROLES: { value: MemberRole; label: string }[] = [
  { value: "VIEWER", label: "Viewer — reads everything" },
  { value: "DEVELOPER", label: "Developer — deploys and operates apps" },
  { value: "ADMIN", label: "Admin — manages members" },
  { value: "OWNER", label: "Owner — everything" },
];
const ROLE_RANK: Record<MemberRole, number> = { VIEWER: 1, DEVELOPER: 2, ADMIN: 3, OWNER: 4 };

export default function MembersPage() {
  const org = useCurrentOrg();
  const canManage = org.role === "OWNER" || org.role === "ADMIN";
  return (
    <div className="space-y-6">
      {canManage ? <InviteForm /> : null}
      <MemberList canManage={canManage} />
      {canManage ? <PendingInvitations /> : null}
      <LeaveOrganization />
    </div>
  );
}

function InviteForm() {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<MemberRole>("DEVELOPER");
  const invite = useMutation(
    trpc.members.invite.mutationOptions({
      onSuccess: () => {
        setEmail("");
        void queryClient.invalidateQueries({ queryKey: trpc.members.invitations.pathKey() });
      },
    }),
  );
  const failure = invite.error ? describeError(invite.error) : null;
  const allowedRoles = ROLES.filter((r) => ROLE_RANK[r.value] <= ROLE_RANK[org.role]);

  return (
    <Card>
      <h2 className="mb-3 font-medium">Invite someone</h2>
      <form
        className="grid gap-3 sm:grid-cols-[1fr_16rem_auto] sm:items-end"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          invite.mutate({ orgId: org.id, email, role });
        }}
      >
        <TextField label="Email" name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={failure?.fieldErrors.email} />
        <SelectField label="Role" name="role" value={role} onChange={(e) => setRole(e.target.value as MemberRole)} options={allowedRoles} />
        <Button type="submit" busy={invite.isPending}>
          Send invitation
        </Button>
      </form>
      {failure && !failure.fieldErrors.email ? (
        <div className="mt-3">
          <Alert tone="error">{failure.message}</Alert>
        </div>
      ) : null}
      {invite.data ? (
        <div className="mt-3">
          {invite.data.emailed ? (
            <Alert tone="success">Invitation emailed to {invite.data.invitation.email}.</Alert>
          ) : (
            <Alert tone="info" title={`No mail server is configured: send ${invite.data.invitation.email} this link`}>
              <code data-testid="invitation-link" className="block break-all select-all">
                {invite.data.link}
              </code>
              <p className="mt-1">It works once and expires in 7 days.</p>
            </Alert>
          )}
        </div>
      ) : null}
    </Card>
  );
}

function MemberList({ canManage }: { canManage: boolean }) {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useInfiniteQuery(
    trpc.members.list.infiniteQueryOptions({ orgId: org.id, limit: 50 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const me = useQuery(trpc.account.me.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.members.list.pathKey() });
  const changeRole = useMutation(trpc.members.changeRole.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.members.remove.mutationOptions({ onSettled: refresh }));
  const error = changeRole.error ?? remove.error;
  const rows = members.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <section aria-labelledby="members-heading" className="space-y-3">
      <h2 id="members-heading" className="font-medium">
        Members
      </h2>
      {error ? <Alert tone="error">{describeError(error).message}</Alert> : null}
      {members.isLoading ? <p className="text-sm text-slate-500">Loading members…</p> : null}
      <DataTable head={["Name", "Email", "Role", canManage ? "" : null].filter((h) => h !== null)} caption="Members">
        {rows.map((m) => {
          const manageable = canManage && m.userId !== me.data?.id && ROLE_RANK[m.role] <= ROLE_RANK[org.role];
          return (
            <tr key={m.userId} data-testid={`member-${m.email}`}>
              <Cell>{m.name ?? "—"}</Cell>
              <Cell>{m.email}</Cell>
              <Cell>
                {manageable ? (
                  <select
                    aria-label={`Role of ${m.email}`}
                    className="h-8 rounded-md border border-slate-300 bg-white px-2 text-sm"
                    value={m.role}
                    onChange={(e) => changeRole.mutate({ orgId: org.id, userId: m.userId, role: e.target.value as MemberRole })}
                  >
                    {ROLES.filter((r) => ROLE_RANK[r.value] <= ROLE_RANK[org.role]).map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.value.toLowerCase()}
                      </option>
                    ))}
                  </select>
                ) : (
                  <Badge>{m.role.toLowerCase()}</Badge>
                )}
              </Cell>
              {canManage ? (
                <Cell className="text-right">
                  {manageable ? (
                    <Button
                      variant="ghost"
                      size="sm"
                      onClick={() => {
                        if (window.confirm(`Remove ${m.email} from ${org.name}?`)) remove.mutate({ orgId: org.id, userId: m.userId });
                      }}
                    >
                      Remove
                    </Button>
                  ) : null}
                </Cell>
              ) : null}
            </tr>
          );
        })}
      </DataTable>
      {members.hasNextPage ? (
        <Button variant="secondary" size="sm" busy={members.isFetchingNextPage} onClick={() => void members.fetchNextPage()}>
          Show more
        </Button>
      ) : null}
    </section>
  );
}

function PendingInvitations() {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invitations = useQuery(trpc.members.invitations.queryOptions({ orgId: org.id, limit: 50 }));
  const revoke = useMutation(
    trpc.members.revokeInvitation.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.members.invitations.pathKey() }) }),
  );
  return (
    <section aria-labelledby="invitations-heading" className="space-y-3">
      <h2 id="invitations-heading" className="font-medium">
        Pending invitations
      </h2>
      {invitations.data?.items.length === 0 ? <EmptyState title="No pending invitations" /> : null}
      {invitations.data?.items.length ? (
        <DataTable head={["Email", "Role", "Expires", ""]} caption="Pending invitations">
          {invitations.data.items.map((inv) => (
            <tr key={inv.id}>
              <Cell>{inv.email}</Cell>
              <Cell>
                <Badge>{inv.role.toLowerCase()}</Badge>
              </Cell>
              <Cell>{inv.expiresAt < new Date() ? <Badge tone="red">expired</Badge> : inv.expiresAt.toLocaleDateString()}</Cell>
              <Cell className="text-right">
                <Button variant="ghost" size="sm" onClick={() => revoke.mutate({ orgId: org.id, invitationId: inv.id })}>
                  Revoke
                </Button>
              </Cell>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}

function LeaveOrganization() {
  const org = useCurrentOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const leave = useMutation(
    trpc.orgs.leave.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.orgs.mine.pathKey() });
        router.push("/");
      },
    }),
  );
  return (
    <Card className="border-red-200">
      <h2 className="font-medium">Leave {org.name}</h2>
      <p className="mt-1 text-sm text-slate-600">You will lose access until someone invites you again. The last owner cannot leave.</p>
      {leave.error ? (
        <div className="mt-3">
          <Alert tone="error">{describeError(leave.error).message}</Alert>
        </div>
      ) : null}
      <Button
        variant="danger"
        size="sm"
        className="mt-3"
        busy={leave.isPending}
        onClick={() => {
          if (window.confirm(`Leave ${org.name}?`)) leave.mutate({ orgId: org.id });
        }}
      >
        Leave organisation
      </Button>
    </Card>
  );
}
