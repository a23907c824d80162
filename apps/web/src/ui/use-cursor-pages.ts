import { useCallback, useState } from "react";

/**
 * Cursor paging for a list: the cursor of each page seen so far, so Previous is free and the list keeps its
 * speed however many rows lie behind (the server pages by id, never by offset). `resetKey` (the filters)
 * starts again at the first page when it changes.
 */
export function useCursorPages(resetKey: string) {
  const [state, setState] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key: resetKey,
    cursors: [undefined],
  });
  const cursors = state.key === resetKey ? state.cursors : [undefined];
  const page = cursors.length - 1;
  const next = useCallback(
    (nextCursor: string) => setState({ key: resetKey, cursors: [...cursors, nextCursor] }),
    [cursors, resetKey],
  );
  const previous = useCallback(
    () => setState({ key: resetKey, cursors: cursors.slice(0, -1) }),
    [cursors, resetKey],
  );
  return { cursor: cursors[page], page, next, previous };
}
