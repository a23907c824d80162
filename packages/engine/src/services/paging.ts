import { AppError, type IdKind, isId } from "@mcpmediaengine/contract";

/** The cursor of a list paged by id: the last id of the page, opaque to the caller. */
export function encodeIdCursor(id: string): string {
  return Buffer.from(id).toString("base64url");
}

/** The id a cursor of `encodeIdCursor` carries; 400 for anything this API did not hand out. */
export function decodeIdCursor(kind: IdKind, cursor: string): string {
  const id = Buffer.from(cursor, "base64url").toString();
  if (!isId(kind, id)) throw new AppError("invalid_request", "The cursor is not one this API returned.");
  return id;
}
