import { expect, test } from "vitest";
import { GroupCommit } from "./group-commit";

/** A write that fails whole when any item of the group is "bad", as one statement does, and records each group. */
function recordingWrite() {
  const groups: string[][] = [];
  const write = async (_lane: string, items: string[]) => {
    groups.push([...items]);
    await Promise.resolve();
    if (items.includes("bad")) throw new Error(`refused: ${items.join(",")}`);
    return items.map((i) => i.toUpperCase());
  };
  return { groups, write };
}

test("writes that wait go in together; if the group fails, each is tried alone and only the bad one fails", async () => {
  const { groups, write } = recordingWrite();
  const commit = new GroupCommit(write);
  const outcomes = await Promise.allSettled(
    ["a", "b", "bad", "c"].map((item) => commit.submit("lane", item)),
  );
  expect(outcomes).toEqual([
    { status: "fulfilled", value: "A" },
    { status: "fulfilled", value: "B" },
    { status: "rejected", reason: new Error("refused: bad") },
    { status: "fulfilled", value: "C" },
  ]);
  // The first went alone, the others waited and went as one group, then one at a time in arrival order.
  expect(groups).toEqual([["a"], ["b", "bad", "c"], ["b"], ["bad"], ["c"]]);
});

test("a failing lone write fails with its own error, and the lane goes on", async () => {
  const { groups, write } = recordingWrite();
  const commit = new GroupCommit(write);
  await expect(commit.submit("lane", "bad")).rejects.toThrow("refused: bad");
  await expect(commit.submit("lane", "d")).resolves.toBe("D");
  expect(groups).toEqual([["bad"], ["d"]]);
});

test("lanes are apart: a bad write in one never touches another's", async () => {
  const { groups, write } = recordingWrite();
  const commit = new GroupCommit(write);
  const outcomes = await Promise.allSettled([
    commit.submit("one", "a"),
    commit.submit("two", "x"),
    commit.submit("one", "bad"),
    commit.submit("two", "y"),
  ]);
  expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
  expect(groups).toEqual([["a"], ["x"], ["bad"], ["y"]]);
});
