import { useId } from 'react';

export interface CheckboxOption {
  value: string;
  /** Visible text and accessible name; defaults to `value`. */
  label?: string;
  disabled?: boolean;
}

export interface CheckboxGroupProps {
  /** The fieldset's legend, which names the group for screen readers. */
  legend: string;
  options: CheckboxOption[];
  /** The checked values. */
  value: string[];
  onChange: (value: string[]) => void;
  /** Form field name of every checkbox. */
  name?: string;
  hint?: string | undefined;
  /** Message shown under the group and announced with it. */
  error?: string | undefined;
}

/** A fieldset of checkboxes for picking several values (roles, say); the order of `options` is kept. */
export function CheckboxGroup({ legend, options, value, onChange, name, hint, error }: CheckboxGroupProps) {
  const id = useId();
  const describedBy =
    [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const toggle = (option: string, checked: boolean) =>
    onChange(options.map((o) => o.value).filter((v) => (v === option ? checked : value.includes(v))));
  return (
    <fieldset
      className="ui-checkbox-group"
      aria-describedby={describedBy}
      aria-invalid={error ? true : undefined}
    >
      <legend className="ui-field__label">{legend}</legend>
      <div className="ui-checkbox-group__options">
        {options.map((option) => (
          <label key={option.value} className="ui-checkbox">
            <input
              type="checkbox"
              name={name}
              value={option.value}
              checked={value.includes(option.value)}
              disabled={option.disabled}
              onChange={(e) => toggle(option.value, e.target.checked)}
            />
            <span>{option.label ?? option.value}</span>
          </label>
        ))}
      </div>
      {hint ? (
        <p id={`${id}-hint`} className="ui-field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="ui-field__error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
