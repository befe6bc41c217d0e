import { Badge } from '@bff-auth/ui/badge';

/** Active / Disabled, the same everywhere a user's status shows. */
export function StatusBadge({ disabled }: { disabled: boolean }) {
  return disabled ? <Badge tone="danger">Disabled</Badge> : <Badge tone="success">Active</Badge>;
}

/** A user's roles as badges; admin stands out. */
export function RoleBadges({ roles }: { roles: string[] }) {
  if (!roles.length) return <span className="ui-muted">No roles</span>;
  return (
    <span className="admin-badges admin-roles">
      {roles.map((role) => (
        <Badge key={role} tone={role === 'admin' ? 'info' : 'neutral'}>
          {role}
        </Badge>
      ))}
    </span>
  );
}
