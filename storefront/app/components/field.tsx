import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

export interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/**
 * A labelled form field with its error and hint tied to the control (aria-describedby), for
 * screen readers. An input by default; `control` renders another control (select, textarea)
 * with the same wiring.
 */
export function Field({
  label,
  error,
  hint,
  control,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  error?: string | undefined;
  hint?: string;
  control?: (props: ControlProps) => ReactNode;
}) {
  const id = useId();
  const described =
    [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') ||
    undefined;
  const wiring: ControlProps = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': described,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {control ? control(wiring) : <input {...wiring} {...input} />}
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
