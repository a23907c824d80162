import { type ReactNode, useEffect } from "react";

/** Every page's title row: the h1 (which also names the browser tab), a line of help, and its actions. */
export function PageHeader(props: { title: string; description?: ReactNode; actions?: ReactNode }) {
  useEffect(() => {
    document.title = `${props.title} · MCP Media Engine`;
  }, [props.title]);
  return (
    <header className="page-header">
      <div>
        <h1>{props.title}</h1>
        {props.description ? <p>{props.description}</p> : null}
      </div>
      {props.actions ? <div className="actions">{props.actions}</div> : null}
    </header>
  );
}

export function Card(props: {
  title?: ReactNode;
  actions?: ReactNode;
  flush?: boolean;
  className?: string;
  children: ReactNode;
  labelledBy?: string;
}) {
  return (
    <section
      className={`card${props.flush ? " flush" : ""}${props.className ? ` ${props.className}` : ""}`}
      aria-labelledby={props.labelledBy}
    >
      {props.title || props.actions ? (
        <div className="card-header">
          {typeof props.title === "string" ? <h2 id={props.labelledBy}>{props.title}</h2> : props.title}
          {props.actions ? <div className="actions">{props.actions}</div> : null}
        </div>
      ) : null}
      {props.children}
    </section>
  );
}

/** What an empty list says: why it is empty and what to do next. */
export function EmptyState(props: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <h3>{props.title}</h3>
      <p>{props.children}</p>
      {props.action}
    </div>
  );
}

export function Stat(props: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <div className="card">
      <div>
        <div className="stat-label">{props.label}</div>
        <div className="stat-value">{props.value}</div>
        {props.hint ? <div className="small muted">{props.hint}</div> : null}
      </div>
    </div>
  );
}

export function Loading(props: { label?: string }) {
  return (
    <p className="muted" role="status">
      {props.label ?? "Loading…"}
    </p>
  );
}
