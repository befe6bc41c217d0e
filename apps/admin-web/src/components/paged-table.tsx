'use client';

import { ApiError, type ApiResult } from '@bff-auth/bff-next/client';
import { Pagination } from '@bff-auth/ui/pagination';
import { ErrorState, Loading } from '@bff-auth/ui/states';
import { type Column, Table } from '@bff-auth/ui/table';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { type Page, pageCount } from '@/lib/admin-types';

export interface PagedTableProps<T> {
  query: UseQueryResult<ApiResult<Page<T>>>;
  loadingLabel: string;
  errorTitle: string;
  caption: string;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  /** Shown when the page has no rows. */
  empty: ReactNode;
  paginationLabel: string;
  onPageChange: (page: number) => void;
}

/**
 * One page of a paginated admin-api list: loading, error (with retry), the table (dimmed while the next
 * page loads over the previous one) and the pager.
 */
export function PagedTable<T>({
  query,
  loadingLabel,
  errorTitle,
  caption,
  columns,
  rowKey,
  empty,
  paginationLabel,
  onPageChange,
}: PagedTableProps<T>) {
  const result = query.data?.data;
  if (query.isPending) return <Loading label={loadingLabel} />;
  if (!result) {
    return (
      <ErrorState title={errorTitle} onRetry={() => void query.refetch()}>
        {query.error instanceof ApiError ? query.error.message : 'Try again in a moment.'}
      </ErrorState>
    );
  }
  return (
    <>
      <div
        className={query.isPlaceholderData ? 'admin-stale' : undefined}
        aria-busy={query.isPlaceholderData || undefined}
      >
        <Table caption={caption} columns={columns} rows={result.items} rowKey={rowKey} empty={empty} />
      </div>
      <Pagination
        label={paginationLabel}
        page={result.page}
        pageCount={pageCount(result)}
        busy={query.isFetching}
        onPageChange={onPageChange}
      />
    </>
  );
}
