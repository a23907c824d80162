interface Waiting<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Writes that arrive while an earlier write of the same lane is in flight wait and go in together in the next
 * statement (a group commit): a lone write goes at once with no added wait, and a busy lane pays one commit per
 * group instead of one per write. `write` gets the group in arrival order and returns one result per item, in
 * the same order. If it throws for a group of several, nothing of the group was written (one statement or one
 * transaction), so each write is tried again alone, in arrival order: a write the database refuses fails alone
 * with its own error, and the others of its group get in as if it had never been there.
 */
export class GroupCommit<T, R> {
  private readonly lanes = new Map<string, Waiting<T, R>[]>();

  constructor(
    private readonly write: (lane: string, items: T[]) => Promise<R[]>,
    private readonly maxGroup = 200,
  ) {}

  submit(lane: string, item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      const queue = this.lanes.get(lane);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.lanes.set(lane, [{ item, resolve, reject }]);
      void this.drain(lane);
    });
  }

  private async drain(lane: string): Promise<void> {
    const queue = this.lanes.get(lane)!;
    while (queue.length > 0) {
      const group = queue.splice(0, this.maxGroup);
      try {
        const results = await this.write(
          lane,
          group.map((w) => w.item),
        );
        for (const [i, waiting] of group.entries()) waiting.resolve(results[i]!);
      } catch (error) {
        if (group.length === 1) group[0]!.reject(error);
        else for (const waiting of group) await this.alone(lane, waiting);
      }
    }
    this.lanes.delete(lane);
  }

  private async alone(lane: string, waiting: Waiting<T, R>): Promise<void> {
    try {
      const [result] = await this.write(lane, [waiting.item]);
      waiting.resolve(result!);
    } catch (error) {
      waiting.reject(error);
    }
  }
}
