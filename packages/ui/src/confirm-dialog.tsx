'use client';

import { type ReactNode, useEffect, useRef } from 'react';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  /** Danger styling for destructive actions. Default true. */
  destructive?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** A modal confirmation on the native <dialog> (focus trap, Escape and backdrop handled by the browser). */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  destructive = true,
  busy,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="ui-dialog"
      aria-labelledby="ui-dialog-title"
      onCancel={onCancel}
      onClose={() => open && onCancel()}
    >
      <h2 id="ui-dialog-title" className="ui-dialog__title">
        {title}
      </h2>
      {children ? <div className="ui-dialog__body">{children}</div> : null}
      <div className="ui-dialog__actions">
        <button type="button" className="ui-button ui-button--secondary" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button
          type="button"
          className={`ui-button ui-button--${destructive ? 'danger' : 'primary'}`}
          onClick={onConfirm}
          disabled={busy}
          aria-busy={busy || undefined}
        >
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
