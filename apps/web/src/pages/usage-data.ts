import { useQuery } from "@tanstack/react-query";
import { trpc } from "../api/trpc";
import { type DaySpend, lastDays } from "../ui/spend-chart";

/** Credits spent on each of the last `days` UTC days, by media type (empty days as zeros). */
export function useSpendByDay(days: number) {
  return useQuery({
    queryKey: ["usage", "day,type", days],
    queryFn: async (): Promise<DaySpend[]> => {
      const span = lastDays(days);
      const usage = await trpc.usage.get.query({
        from: span[0],
        to: span[span.length - 1],
        groupBy: "day,type",
      });
      const byDay = new Map(span.map((day) => [day, { day, image: 0, video: 0, audio: 0 }]));
      for (const row of usage.data) {
        const entry = row.day ? byDay.get(row.day) : undefined;
        if (entry && row.type) entry[row.type] += row.creditsSpent;
      }
      return [...byDay.values()];
    },
  });
}
