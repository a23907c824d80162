import type { Setting } from "../../prompt/scene-spec";
import { glow, type Scene } from "../scene";
import { landColors, lightFor } from "./light";
import { drawClouds, drawSky } from "./sky";
import { dunes, fields, hills, mountains, skyline, treeLine } from "./terrain";
import { beach, harbour, river, water } from "./water";
import { fog, lightning, mistBand, rain, snow } from "./weather";

// What a prompt that names no setting gets: a few scenes that read as landscapes at any size.
const DEFAULTS: readonly Setting[][] = [
  ["mountains", "lake"],
  ["hills", "forest"],
  ["mountains"],
  ["sea"],
  ["fields"],
];

/**
 * The free-size image and local-motion's key image: a landscape drawn from the prompt's scene. Back to front:
 * the sky with its light, distant land, water mirroring what stands above it, near land, then the weather.
 */
export function drawLandscape(scene: Scene): { x: number; y: number } {
  const { spec, height, random } = scene;
  const named = spec.settings.length > 0 ? spec.settings : random.pick(DEFAULTS);
  const has = (s: Setting) => named.includes(s);
  const wet = has("lake") || has("sea") || has("harbour") || has("beach");
  const horizonY = height * (has("sea") || has("beach") ? 0.52 : wet ? 0.56 : has("city") ? 0.66 : 0.6);
  const light = lightFor(spec, scene.width, height, horizonY, random, scene.prompt);
  const land = landColors(spec);
  const snowy =
    spec.season === "winter" || spec.weather.includes("snow") || has("snowfield") || random.chance(0.5);

  drawSky(scene, light);
  const stormy = spec.weather.includes("storm");
  if (spec.weather.includes("clouds") || stormy || spec.weather.includes("rain"))
    drawClouds(scene, light, stormy);
  else if (!spec.weather.includes("clear") && light.time !== "night" && random.chance(0.4))
    drawClouds(scene, light, false);
  if (stormy) lightning(scene, light);

  // Distant land, standing on the horizon.
  if (has("mountains")) {
    mountains(scene, light, horizonY, 0.1, land.rock, snowy);
    mountains(scene, light, horizonY, 0.4, land.rock, snowy && random.chance(0.6));
  } else if (has("desert")) {
    dunes(scene, light, horizonY, 0.1, land.sand);
  } else if (!has("sea") && !has("beach") && !has("city")) {
    hills(scene, light, horizonY, 0.15, land.grass);
  }
  if (has("city")) skyline(scene, light, horizonY + 1);
  if (has("forest") && !wet)
    treeLine(scene, light, hills(scene, light, horizonY + height * 0.03, 0.35, land.grass), 0.3, land.tree);
  else if (has("forest")) treeLine(scene, light, flat(horizonY + 1), 0.15, land.tree, 1.6);
  if (spec.weather.includes("mist")) mistBand(scene, light, horizonY - height * 0.04, height * 0.06, 0.55);

  if (wet) {
    const lake = has("lake") && !has("sea") && !has("beach");
    water(scene, light, height, lake ? 0.8 : 0.35);
    if (lake) {
      // The near shore: a bank of grass (and trees in a forest) across the bottom.
      const bank = hills(scene, light, height * 0.92, 0.9, land.grass);
      if (has("forest")) treeLine(scene, light, bank, 0.9, land.tree, 0.7);
    }
    if (has("beach")) beach(scene, light, land.sand);
    if (has("harbour")) harbour(scene, light);
  } else {
    const near = horizonY + (height - horizonY) * 0.3;
    if (has("fields")) fields(scene, light, horizonY + 1, fieldColors(scene.prompt, land.grass));
    else if (has("desert")) {
      dunes(scene, light, near, 0.6, land.sand);
      dunes(scene, light, horizonY + (height - horizonY) * 0.65, 1, land.sand);
    } else if (has("snowfield")) {
      hills(scene, light, near, 0.7, "#eef3f8");
    } else if (has("city")) {
      hills(scene, light, horizonY + (height - horizonY) * 0.2, 0.9, mixGround(land.grass));
    } else {
      const mid = hills(scene, light, near, 0.55, land.grass);
      if (has("forest")) treeLine(scene, light, mid, 0.6, land.tree, 0.9);
      const front = hills(scene, light, horizonY + (height - horizonY) * 0.7, 0.95, land.grass);
      if (has("forest")) treeLine(scene, light, front, 1, land.tree, 0.6);
    }
    if (has("river")) river(scene, light);
  }

  if (spec.weather.includes("mist")) {
    mistBand(scene, light, horizonY + height * 0.02, height * 0.08, 0.6);
    mistBand(scene, light, horizonY + height * 0.16, height * 0.05, 0.3);
  }
  if (spec.weather.includes("fog")) fog(scene, light);
  if (spec.weather.includes("rain") || stormy) rain(scene, light);
  if (spec.weather.includes("snow")) snow(scene);
  if (light.time === "golden_hour" || light.time === "sunset" || light.time === "sunrise")
    glow(scene.ctx, light.sunX, horizonY, scene.width * 0.6, light.sun, 0.18);
  return { x: light.sunX / scene.width, y: Math.max(light.sunY, horizonY * 0.3) / height };
}

function flat(y: number): number[] {
  return Array.from({ length: 81 }, () => y);
}

function mixGround(grass: string): string {
  return grass === "#e8eef5" ? grass : "#4a5a48";
}

function fieldColors(prompt: string, grass: string): readonly [string, string] {
  if (/lavender/i.test(prompt)) return ["#5e4b8b", "#8d74c4"];
  if (/wheat|golden|harvest|barley/i.test(prompt)) return ["#c79a3e", "#e0b85a"];
  if (/tulip|flower/i.test(prompt)) return ["#3f7d3a", "#d94a5c"];
  return [grass, mixGround(grass) === grass ? "#d7dee6" : "#6a9e45"];
}
