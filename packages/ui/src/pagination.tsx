import { Button } from './button';

export interface PaginationProps {
  /** The current page, 1-based. */
  page: number;
  /** How many pages there are; at least 1. */
  pageCount: number;
  onPageChange: (page: number) => void;
  /** Disables both buttons while a page loads. Default false. */
  busy?: boolean;
  /** Accessible name of the navigation landmark. Default 'Pagination'. */
  label?: string;
}

/** Previous / Next buttons around a live "Page X of Y". */
export function Pagination({
  page,
  pageCount,
  onPageChange,
  busy = false,
  label = 'Pagination',
}: PaginationProps) {
  const last = Math.max(1, pageCount);
  return (
    <nav className="ui-pagination" aria-label={label}>
      <Button variant="secondary" disabled={busy || page <= 1} onClick={() => onPageChange(page - 1)}>
        Previous
      </Button>
      <span className="ui-pagination__status" aria-live="polite">
        {`Page ${page} of ${last}`}
      </span>
      <Button variant="secondary" disabled={busy || page >= last} onClick={() => onPageChange(page + 1)}>
        Next
      </Button>
    </nav>
  );
}
