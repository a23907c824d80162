import { Link } from "../router/router";
import { EmptyState, PageHeader } from "../ui/page";

export function NotFound(props: { what?: string }) {
  return (
    <div className="page">
      <PageHeader title="Not found" />
      <div className="card">
        <EmptyState
          title={props.what ? `No such ${props.what}` : "No such page"}
          action={
            <Link className="button" to="/">
              Back to the overview
            </Link>
          }
        >
          {props.what
            ? `This ${props.what} does not exist, or it belongs to another account.`
            : "The address does not match any page of the console."}
        </EmptyState>
      </div>
    </div>
  );
}
