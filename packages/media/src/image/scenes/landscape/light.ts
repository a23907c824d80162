import { luminance, mix } from "../../palette";
import type { SceneSpec, TimeOfDay } from "../../prompt/scene-spec";
import type { Random } from "../../random";

interface Sky {
  zenith: string;
  horizon: string;
  /** The sun's (or at night the moon's) colour. */
  sun: string;
  /** Height of the sun above the horizon, as a fraction of the sky; below 0 only its glow shows. */
  elevation: number;
  /** What the light does to the land: the colour mixed in, and how much. */
  shade: readonly [string, number];
  stars: number;
}

// One sky per time of day: sunrise and sunset are warm at the horizon and cool above, night is near black.
const SKIES: Record<TimeOfDay, Sky> = {
  dawn: {
    zenith: "#2c3a6b",
    horizon: "#f2b4a0",
    sun: "#ffd9b0",
    elevation: -0.02,
    shade: ["#35355e", 0.45],
    stars: 0.15,
  },
  sunrise: {
    zenith: "#41609e",
    horizon: "#ffb061",
    sun: "#fff0b8",
    elevation: 0.07,
    shade: ["#5a3a5e", 0.3],
    stars: 0,
  },
  morning: {
    zenith: "#4f9be3",
    horizon: "#d8ecf7",
    sun: "#fff8e0",
    elevation: 0.5,
    shade: ["#ffffff", 0.05],
    stars: 0,
  },
  noon: {
    zenith: "#2a78d6",
    horizon: "#c4e3f8",
    sun: "#ffffff",
    elevation: 0.82,
    shade: ["#ffffff", 0],
    stars: 0,
  },
  golden_hour: {
    zenith: "#6488c4",
    horizon: "#ffcc73",
    sun: "#ffe6a3",
    elevation: 0.18,
    shade: ["#a8602a", 0.22],
    stars: 0,
  },
  sunset: {
    zenith: "#33276a",
    horizon: "#ff7043",
    sun: "#ffc56b",
    elevation: 0.04,
    shade: ["#3d1f45", 0.45],
    stars: 0,
  },
  dusk: {
    zenith: "#121a3d",
    horizon: "#b8697e",
    sun: "#ff9e80",
    elevation: -0.06,
    shade: ["#1c1838", 0.62],
    stars: 0.4,
  },
  night: {
    zenith: "#040813",
    horizon: "#1a2947",
    sun: "#f1efe4",
    elevation: 0.62,
    shade: ["#070b1c", 0.78],
    stars: 1,
  },
};

export interface Light extends Sky {
  time: TimeOfDay;
  /** Where the sun or moon is, in pixels. */
  sunX: number;
  sunY: number;
  sunR: number;
  horizonY: number;
  /** The haze colour distant land fades into. */
  haze: string;
  /** A named colour on the land ("green hills", "purple mountains"): mixed into every land colour. */
  tint: string | undefined;
}

/** The light of the scene: the prompt's time of day, or the seed's when it names none. */
// Words after a colour that put it in the sky (or on water, which mirrors the sky) rather than on the land.
const SKY_WORDS =
  /^\s+(sky|skies|clouds?|sunsets?|sunrises?|light|dawn|dusk|horizon|ocean|sea|water|lake|glow|haze)\b/;

export function lightFor(
  spec: SceneSpec,
  width: number,
  height: number,
  horizonY: number,
  random: Random,
  prompt = "",
): Light {
  const time =
    spec.timeOfDay ??
    (spec.weather.includes("snow")
      ? "morning"
      : random.pick<TimeOfDay>(["morning", "golden_hour", "sunset", "noon", "dusk", "sunrise", "night"]));
  const base = SKIES[time];
  let { zenith, horizon, shade } = base;
  // "a pink sky" takes over the sky's lower half; "green hills" tints the land and leaves the sky alone.
  const lower = prompt.toLowerCase();
  const inSky = (name: string) => {
    const at = lower.indexOf(name);
    return at >= 0 && SKY_WORDS.test(lower.slice(at + name.length));
  };
  const skyColor = spec.colors.find((c) => inSky(c.name));
  const tint = spec.colors.find((c) => !inSky(c.name))?.hex;
  if (skyColor) {
    horizon = mix(horizon, skyColor.hex, 0.55);
    zenith = mix(zenith, skyColor.hex, 0.25);
  }
  const stormy = spec.weather.includes("storm");
  const grey = spec.weather.includes("fog") || spec.weather.includes("rain") || stormy;
  if (grey) {
    // Overcast light: the sky's colours drain towards a slate grey, darker in a storm.
    const slate = stormy ? "#2b313c" : "#8a96a3";
    zenith = mix(zenith, slate, stormy ? 0.75 : 0.6);
    horizon = mix(horizon, mix(slate, "#ffffff", 0.25), stormy ? 0.7 : 0.55);
    shade = [slate, Math.max(shade[1], stormy ? 0.5 : 0.25)];
  }
  const unit = Math.min(width, height);
  const skyHeight = horizonY;
  return {
    ...base,
    zenith,
    horizon,
    shade,
    time,
    sunX: width * random.range(0.25, 0.75),
    sunY: horizonY - skyHeight * base.elevation,
    sunR: unit * (time === "night" ? random.range(0.035, 0.05) : random.range(0.05, 0.075)),
    horizonY,
    haze: mix(horizon, zenith, 0.15),
    tint,
  };
}

/** A land colour as this light shows it, faded towards the haze with distance (0 far, 1 near). */
export function lit(light: Light, color: string, nearness: number): string {
  // Snow keeps more of its light than grass or rock: it is what glows under a moon.
  const strength = luminance(color) > 0.85 ? light.shade[1] * 0.7 : light.shade[1];
  const shaded = mix(light.tint ? mix(color, light.tint, 0.45) : color, light.shade[0], strength);
  return mix(light.haze, shaded, 0.3 + 0.7 * nearness);
}

/** Base colours of the land, by season. */
export function landColors(spec: SceneSpec): { grass: string; rock: string; tree: string; sand: string } {
  const winter =
    spec.season === "winter" || spec.weather.includes("snow") || spec.settings.includes("snowfield");
  switch (true) {
    case winter:
      return { grass: "#e8eef5", rock: "#56607a", tree: "#2b4036", sand: "#e6e2da" };
    case spec.season === "autumn":
      return { grass: "#9a6a2f", rock: "#5e5a66", tree: "#b5542a", sand: "#d2a86e" };
    case spec.season === "spring":
      return { grass: "#6cae4a", rock: "#647089", tree: "#3f8a3a", sand: "#e2c48e" };
    case spec.season === "summer":
      return { grass: "#4f8f2e", rock: "#5f6b84", tree: "#2f6b2a", sand: "#e6c07f" };
    default:
      return { grass: "#4e7f3a", rock: "#5d6880", tree: "#2c5a32", sand: "#ddb67c" };
  }
}
