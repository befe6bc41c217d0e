/** react-query keys; invalidating a prefix refreshes everything under it. */
export const queryKeys = {
  users: ['users'] as const,
  userList: (q: string, page: number) => ['users', 'list', { q, page }] as const,
  user: (id: string) => ['users', 'one', id] as const,
  sessions: (id: string) => ['users', 'one', id, 'sessions'] as const,
  audit: ['audit'] as const,
  auditList: (filters: Record<string, string>, page: number) => ['audit', { ...filters, page }] as const,
};
