import { type ReactNode, useId, useState } from "react";

export function CopyButton(props: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="button small"
      onClick={async () => {
        await navigator.clipboard?.writeText(props.text).catch(() => {});
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? "Copied" : (props.label ?? "Copy")}
    </button>
  );
}

/** A destructive action asks once more in place, instead of a modal. */
export function ConfirmButton(props: {
  label: string;
  confirmLabel: string;
  onConfirm: () => void;
  busy?: boolean;
  describedBy?: string;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="button small danger" onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <span className="actions">
      <button
        type="button"
        className="button small danger"
        disabled={props.busy}
        // biome-ignore lint/a11y/noAutofocus: focus moves to the question the user just opened
        autoFocus
        onClick={() => {
          props.onConfirm();
          setAsking(false);
        }}
      >
        {props.confirmLabel}
      </button>
      <button type="button" className="button small" onClick={() => setAsking(false)}>
        Keep
      </button>
    </span>
  );
}

/** A labelled control with its hint (the contract's description) and its error, wired for screen readers. */
export function Field(props: {
  label: string;
  hint?: string;
  error?: string;
  className?: string;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${props.className ? ` ${props.className}` : ""}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, describedBy, invalid: Boolean(props.error) })}
      {props.hint ? (
        <span className="hint" id={hintId}>
          {props.hint}
        </span>
      ) : null}
      {props.error ? (
        <span className="field-error" id={errorId}>
          {props.error}
        </span>
      ) : null}
    </div>
  );
}

export function Segmented<T extends string>(props: {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a group of toggle buttons, announced with its label
    <div className="segmented" role="group" aria-label={props.label}>
      {props.options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={o.value === props.value}
          onClick={() => props.onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

/** Previous and next page over a cursor list: the cursors already seen are kept, so going back costs nothing. */
export function Pager(props: {
  page: number;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  summary?: ReactNode;
}) {
  return (
    <nav className="pager" aria-label="Pages">
      <span className="small muted">{props.summary ?? `Page ${props.page + 1}`}</span>
      <span className="actions">
        <button type="button" className="button small" disabled={props.page === 0} onClick={props.onPrevious}>
          Previous
        </button>
        <button type="button" className="button small" disabled={!props.hasNext} onClick={props.onNext}>
          Next
        </button>
      </span>
    </nav>
  );
}
