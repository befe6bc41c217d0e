'use client';

import { ApiError, apiFetch } from '@bff-auth/bff-next/client';
import { useToast } from '@bff-auth/ui/toast';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from './query-keys';

interface UserActionOptions<I, O> {
  id: string;
  /** BFF route under `/api/users/:id` ('' for the user itself) and its method. */
  path: '' | '/disable' | '/enable' | '/logout' | '/password-reset' | '/require-password-change';
  method: 'PATCH' | 'POST';
  /** The toast after success. */
  success: (result: O, input: I) => string;
  onError?: (error: unknown) => void;
}

/**
 * A change to one user: calls the BFF, then refreshes every users query (list, detail, sessions) and
 * the audit log, and says how it went in a toast.
 */
export function useUserAction<I = void, O = unknown>({
  id,
  path,
  method,
  success,
  onError,
}: UserActionOptions<I, O>) {
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: (input: I) =>
      apiFetch<O>(`/api/users/${encodeURIComponent(id)}${path}`, {
        method,
        ...(input === undefined ? {} : { body: input }),
      }),
    onSuccess: async ({ data }, input) => {
      toast(success(data, input), 'success');
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.users }),
        queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
      ]);
    },
    onError: (error) => {
      onError?.(error);
      toast(error instanceof ApiError ? error.message : 'The change could not be saved.', 'danger');
    },
  });
}
