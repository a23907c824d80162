import { WEBHOOK_EVENT_TYPES, type WebhookEndpoint, type WebhookEventType } from "@mcpmediaengine/contract";
import { type FormEvent, useState } from "react";
import { fieldErrors, toShownError } from "../../api/errors";
import { Field } from "../../ui/controls";
import { ErrorNote } from "../../ui/feedback";

export interface EndpointInput {
  url: string;
  events?: WebhookEventType[];
  description?: string;
}

/** Adds or edits an endpoint: its URL, the events it hears (none ticked: every event) and a note. */
export function EndpointForm(props: {
  endpoint?: WebhookEndpoint;
  onSave: (input: EndpointInput) => Promise<void>;
  onCancel: () => void;
}) {
  const [events, setEvents] = useState<WebhookEventType[]>(props.endpoint?.events ?? []);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const errors = fieldErrors(error ? toShownError(error) : undefined);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      await props.onSave({
        url: String(form.get("url")).trim(),
        events: events.length > 0 ? events : undefined,
        description: String(form.get("description") ?? "").trim() || undefined,
      });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack" onSubmit={submit} aria-label={props.endpoint ? "Edit endpoint" : "New endpoint"}>
      <div className="form-grid">
        <Field label="Endpoint URL" error={errors.url} className="wide">
          {({ id, invalid }) => (
            <input
              id={id}
              name="url"
              type="url"
              required
              defaultValue={props.endpoint?.url}
              placeholder="https://example.com/hooks"
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <Field label="Description" className="wide">
          {({ id }) => (
            <input id={id} name="description" type="text" defaultValue={props.endpoint?.description} />
          )}
        </Field>
        <fieldset className="field wide">
          <legend>Events</legend>
          <div className="checks">
            {WEBHOOK_EVENT_TYPES.map((t) => (
              <label key={t}>
                <input
                  type="checkbox"
                  checked={events.includes(t)}
                  onChange={(e) =>
                    setEvents(e.target.checked ? [...events, t] : events.filter((x) => x !== t))
                  }
                />
                {t}
              </label>
            ))}
          </div>
          <span className="hint">None ticked: every event.</span>
        </fieldset>
      </div>
      <ErrorNote error={error} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {props.endpoint ? "Save" : "Add endpoint"}
        </button>
        <button type="button" className="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
