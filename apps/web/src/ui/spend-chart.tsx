import { formatNumber } from "../format";

export interface DaySpend {
  /** YYYY-MM-DD (UTC). */
  day: string;
  image: number;
  video: number;
  audio: number;
}

const TYPES = ["image", "video", "audio"] as const;
const COLORS: Record<(typeof TYPES)[number], string> = {
  image: "#4338ca",
  video: "#0e9384",
  audio: "#dc6803",
};

/** Credits spent per day, stacked by media type, as an SVG (no chart library), with a table for screen readers. */
export function SpendChart(props: { days: DaySpend[]; caption: string }) {
  const width = 720;
  const height = 180;
  const max = Math.max(1, ...props.days.map((d) => d.image + d.video + d.audio));
  const empty = props.days.every((d) => d.image + d.video + d.audio === 0);
  const slot = width / Math.max(1, props.days.length);
  const bar = Math.max(2, slot * 0.7);
  return (
    <figure className="stack" style={{ margin: 0 }}>
      <svg className="chart" viewBox={`0 0 ${width} ${height + 20}`} role="img" aria-label={props.caption}>
        <line x1={0} x2={width} y1={height} y2={height} stroke="#dfe3ea" />
        {empty ? (
          <text x={width / 2} y={height / 2} fontSize={14} textAnchor="middle" fill="#4f5868">
            Nothing spent in these days yet: completed jobs show here.
          </text>
        ) : null}
        {props.days.map((d, i) => {
          let y = height;
          return (
            <g key={d.day}>
              {TYPES.map((t) => {
                const h = (d[t] / max) * (height - 10);
                y -= h;
                return h > 0 ? (
                  <rect
                    key={t}
                    x={i * slot + (slot - bar) / 2}
                    y={y}
                    width={bar}
                    height={h}
                    fill={COLORS[t]}
                    rx={2}
                  >
                    <title>{`${d.day}: ${formatNumber(d[t])} credits on ${t}`}</title>
                  </rect>
                ) : null;
              })}
              {(props.days.length - 1 - i) % 7 === 0 ? (
                <text
                  x={i === props.days.length - 1 ? width : i * slot + slot / 2}
                  y={height + 15}
                  fontSize={11}
                  // The last day (today) is always labelled; labels at the edges keep inside the frame.
                  textAnchor={i === props.days.length - 1 ? "end" : i < 3 ? "start" : "middle"}
                  fill="#4f5868"
                >
                  {d.day.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        {TYPES.map((t) => (
          <span key={t}>
            <i style={{ background: COLORS[t] }} />
            {t}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** The last `n` UTC days, oldest first, as YYYY-MM-DD. */
export function lastDays(n: number, now = new Date()): string[] {
  const days: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - i));
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}
